"""The organisations facet: firms, banks, agencies, parties, clubs and international
bodies are found, named once, kept out of the people facet, and searchable on both
engines like every other facet (filter, exclusion, ``organization:``, autocomplete,
entity page, JSON API, exports, CLI)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from indexer.article import Article
from indexer.cli import main
from indexer.extract import extract
from indexer.extract.organisations import canonical_org
from indexer.search.engine import Engine
from indexer.search.facets import BY_NAME
from indexer.search.model import SearchRequest


def entities(body: str, title: str = "", category: str = ""):
    return extract(Article(id="t", title=title, body=body, source="test", category=category))


# -- extraction: sentences as the corpora write them --------------------------------------

@pytest.mark.parametrize("body, org", [
    ("Merrill Lynch and Co Inc said it had bought the shares.", "Merrill Lynch"),
    ("Texas Air Corp said its Continental unit would buy the planes.", "Texas Air"),
    ("Sime Darby Bhd said profits rose.", "Sime Darby"),
    ("Barclays plc said it would raise its base rate.", "Barclays"),
    ("Volkswagen AG said car sales fell.", "Volkswagen"),
    ("Goldman, Sachs and Co said it would manage the issue.", "Goldman Sachs"),
    ("Moody's Investors Service Inc said it may downgrade the debt.", "Moody's Investors Service"),
    ("The issue is lead managed by James Capel (Far East) Ltd, it said.", "James Capel"),
    ("The Bank of Japan intervened to support the dollar, dealers said.", "Bank of Japan"),
    ("Chase Manhattan Bank said it raised its prime rate.", "Chase Manhattan Bank"),
    ("Shearson Lehman Brothers said the offering was priced.", "Shearson Lehman Brothers"),
    ("The Labour Party said the budget was unfair.", "Labour Party"),
    ("Aston Villa boss David O'Leary said the side must improve.", "Aston Villa"),
    ("Leeds United sold the striker on Friday.", "Leeds United"),
    ("said Daniel McKinley, oil analyst with Smith Barney, Harris Upham and Co.", "Smith Barney"),
    ("said Paul Johnson, a semiconductor analyst with L.F. Rothschild.", "L.F. Rothschild"),
])
def test_firms_banks_parties_and_clubs_are_organisations(body, org):
    assert org in entities(body).organizations


@pytest.mark.parametrize("body, org", [
    ("The Organization of Petroleum Exporting Countries (OPEC) meets in Vienna.", "OPEC"),
    ("OPEC ministers meet in Vienna next week.", "OPEC"),
    ("The International Monetary Fund approved the loan.", "IMF"),
    ("The IMF approved the loan.", "IMF"),
    ("EC farm ministers agreed on prices.", "EC"),
    ("The European Community said it would retaliate.", "EC"),
    ("The Securities and Exchange Commission said it was investigating.", "SEC"),
    ("The Fed added reserves to the banking system, dealers said.", "Federal Reserve"),
    ("The Federal Reserve Board left the discount rate unchanged.", "Federal Reserve"),
    ("The Geneva-based International Labour Organisation said jobs were lost.", "ILO"),
])
def test_international_bodies_have_one_value_however_written(body, org):
    assert entities(body).organizations == (org,)


def test_a_firm_named_with_and_without_its_suffix_is_one_value():
    found = entities("Merrill Lynch and Co Inc raised its stake. A spokesman said Merrill "
                     "Lynch would not sell.")
    assert found.organizations == ("Merrill Lynch",)
    assert "Merrill Lynch" not in found.people


@pytest.mark.parametrize("written, canonical", [
    ("Merrill Lynch and Co Inc", "Merrill Lynch"), ("Texas Air Corp", "Texas Air"),
    ("Sime Darby Ltd", "Sime Darby"), ("Barclays plc", "Barclays"), ("Nestle SA", "Nestle"),
    ("Salomon Brothers Inc", "Salomon Brothers"), ("Morgan Stanley & Co", "Morgan Stanley"),
    ("The Boeing Co", "Boeing"),
])
def test_company_suffixes_are_dropped(written, canonical):
    assert canonical_org(written) == canonical


@pytest.mark.parametrize("body", [
    "The Finance Ministry said the budget deficit would narrow.",
    "The Soviet Union said it would buy more grain.",
    "Analysts said the market was nervous.",
    "President Reagan said he would veto the bill.",
])
def test_offices_places_and_people_are_no_organisations(body):
    assert entities(body).organizations == ()


def test_people_next_to_organisations_stay_people():
    found = entities("Peter Greenbaum of Smith Barney said the shares were cheap. Treasury "
                     "Secretary James Baker said the IMF would help.")
    assert found.people == ("Peter Greenbaum", "James Baker")
    assert set(found.organizations) == {"Smith Barney", "IMF"}


# -- the issue's non-people, as the archives write them ------------------------------------

@pytest.mark.parametrize("body, not_a_person", [
    ("said Lawrence Cohn, analyst with Merrill Lynch, Pierce, Fenner and Smith Inc. "
     "Merrill Lynch co-managed the deal.", "Merrill Lynch"),
    ("Anitec said the offering is being underwritten by Smith Barney, Harris Upham and Co. "
     "Smith Barney said demand was strong.", "Smith Barney"),
    ("The investment banking firm Morgan Stanley has been retained to advise the company.",
     "Morgan Stanley"),
    ('"The next six weeks matter," Gail Martell, chief meteorologist for E.F. Hutton said.',
     "E.F. Hutton"),
    ("Stockbrokers James Capel said in a comment the move was welcome.", "James Capel"),
    ("Wells Fargo and Co said it would buy the bank. Wells Fargo shares rose.", "Wells Fargo"),
    ("Chase Manhattan Bank raised its prime rate. Chase Manhattan said demand was weak.",
     "Chase Manhattan"),
    ("The Nova Scotia government said it would sell its stake.", "Nova Scotia"),
    ("The deposits were priced at 7.45 N.Z. Dlrs, the bank said.", "N.Z. Dlrs"),
    ("The bonds pay 1/8 point over London Interbank Offered Rates.",
     "London Interbank Offered Rates"),
    ("Imelda Staunton played abortionist Vera Drake in the film Vera Drake. Vera Drake won.",
     "Vera Drake"),
    ("The third Harry Potter film, Harry Potter and the Prisoner of Azkaban, was released.",
     "Harry Potter"),
    ("Glasgow group Franz Ferdinand won two awards. Franz Ferdinand beat Keane.",
     "Franz Ferdinand"),
    ("Aston Villa boss David O'Leary was pleased. Aston Villa are ninth.", "Aston Villa"),
])
def test_the_issues_non_people_are_not_people(body, not_a_person):
    assert not_a_person not in entities(body).people


# -- the facet on both engines ------------------------------------------------------------

@pytest.fixture(scope="module")
def engine(reuters_engine) -> Engine:
    return reuters_engine


def test_the_facet_is_one_registry_entry():
    facet = BY_NAME["organizations"]
    assert (facet.field, facet.cli_name, facet.label) == ("organization", "org", "Organisations")


def test_search_counts_organisations(engine):
    result = engine.search(SearchRequest(query="", facet_limit=50))
    values = {v.value: v.count for v in result.facets["organizations"]}
    for body in ("EC", "OPEC", "IMF", "Federal Reserve"):
        assert values.get(body, 0) > 5, body
    assert not {"Merrill Lynch", "Smith Barney"} & {v.value for v in result.facets["people"]}


def test_filter_exclusion_and_query_field_agree(engine):
    everything = engine.search(SearchRequest(query="", with_facets=False)).total
    only = engine.search(SearchRequest(query="", organizations=("opec",)))
    without = engine.search(SearchRequest(query="", exclude_organizations=("OPEC",)))
    assert 0 < only.total < everything
    assert only.total + without.total == everything
    assert all("OPEC" in hit.organizations for hit in only.hits)
    assert all("OPEC" not in hit.organizations for hit in without.hits)
    for query in ("organization:opec", "org:OPEC", "organizations:opec"):
        assert engine.search(SearchRequest(query=query)).total == only.total, query
    selected = only.facets["organizations"][0]
    assert (selected.value, selected.count, selected.selected) == ("OPEC", only.total, True)


def test_autocomplete_finds_organisations(engine):
    values = [v.value for v in engine.facet_values("organizations", "merr", 5)]
    assert "Merrill Lynch" in values


def test_article_and_export_carry_organisations(engine):
    hits = engine.export(SearchRequest(query="", organizations=("Merrill Lynch",)))
    assert hits and all("Merrill Lynch" in h.organizations for h in hits)
    article = engine.article(hits[0].id)
    assert "Merrill Lynch" in article.organizations


def test_web_sidebar_filter_exclusion_and_chips(reuters_web):
    page = reuters_web.get("/?q=oil").get_data(as_text=True)
    assert 'id="facet-organization"' in page and ">Organisations<" in page
    assert "organization=OPEC" in page and "xorganization=OPEC" in page
    only = reuters_web.get("/api/search?organization=OPEC").get_json()
    without = reuters_web.get("/api/search?xorganization=OPEC").get_json()
    everything = reuters_web.get("/api/search").get_json()
    assert only["total"] + without["total"] == everything["total"]
    assert only["filters"] == {"organizations": ["OPEC"]}
    assert all("OPEC" in hit["organizations"] for hit in only["hits"])
    filtered = reuters_web.get("/?organization=OPEC").get_data(as_text=True)
    assert "Organisation" in filtered and "OPEC" in filtered


def test_web_organisation_page_autocomplete_and_exports(reuters_web):
    page = reuters_web.get("/organization/OPEC")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<h1>OPEC</h1>" in html and ">Organisation<" in html
    assert "People most often with OPEC" in html and "Organisations most often with OPEC" in html
    block = html[html.index('id="co-organizations"'):]
    block = block[:block.index("</section>")]
    assert 'href="/organization/OPEC"' not in block  # the page's own value is left out
    assert 'href="/organization/GCC"' in block  # Gulf Cooperation Council, in OPEC stories
    assert reuters_web.get("/organization/No%20Such%20Firm").status_code == 404
    values = reuters_web.get("/api/facets/organizations?prefix=opec").get_json()["values"]
    assert values[0]["value"] == "OPEC"
    rows = list(csv.DictReader(io.StringIO(
        reuters_web.get("/export.csv?organization=OPEC").get_data(as_text=True))))
    assert rows and all("OPEC" in row["organizations"].split("; ") for row in rows)
    exported = reuters_web.get("/export.json?organization=OPEC").get_json()
    hits = exported["hits"] if isinstance(exported, dict) else exported
    assert hits and all("OPEC" in h["organizations"] for h in hits)


def test_cli_org_options(reuters_location):
    runner = CliRunner()

    def total(*args: str) -> int:
        out = runner.invoke(main, ["search", "", "--index", reuters_location, "--format", "json",
                                   *args], catch_exceptions=False)
        return json.loads(out.output)["total"]

    everything, only, without = total(), total("--org", "OPEC"), total("--exclude-org", "OPEC")
    assert 0 < only < everything and only + without == everything
    shown = runner.invoke(main, ["search", "", "--index", reuters_location, "--org", "OPEC",
                                 "--facets"], catch_exceptions=False).output
    assert "Organisations:" in shown
    help_text = runner.invoke(main, ["search", "--help"]).output
    assert "--org" in help_text and "--exclude-org" in help_text
