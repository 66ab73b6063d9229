"""One person, one value, archive-wide (issue 13): what one article cannot resolve, the
archive does, on both engines, incrementally, and says what it merged.

Real Reuters-21578 stories where the archive has them ("President Reagan" stories, the
"Ronald Reagan" of others, the spellings of De Clercq, Boesky, Leigh-Pemberton and Perez
de Cuellar); short wire-style stories for the two Bakers, whom Reuters never names by
surname alone in a way extraction keeps.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.archive.table import NameTable, PersonInput
from indexer.build import build_index
from indexer.cli import main
from indexer.extract.people import given_names
from indexer.search.engine import open_engine
from indexer.search.model import SearchRequest
from tests.conftest import shared_path

REAGAN_ONLY = (28, 178, 877, 964)  # "President Reagan", never his full name
RONALD_REAGAN = (231, 386)  # "Ronald Reagan" written out


def reuters_records(*newids: int) -> str:
    """The Reuters-21578 records with these NEWIDs, as one SGML file's text."""
    out = []
    for newid in newids:
        path = shared_path("corpora", "reuters21578", f"reut2-{(newid - 1) // 1000:03d}.sgm")
        text = path.read_text("latin-1")
        m = re.search(rf'<REUTERS [^>]*NEWID="{newid}">.*?</REUTERS>', text, re.S)
        assert m, newid
        out.append(m.group())
    return "\n".join(out) + "\n"


def people_of(location: str) -> dict[str, list[str]]:
    hits = open_engine(location).export(SearchRequest(fold_duplicates=False))
    return {h.id: list(h.people) for h in hits}


def test_a_later_run_names_the_earlier_articles_person_in_full(writable_location: str,
                                                                tmp_path: Path) -> None:
    """Run 1 holds only "President Reagan" stories; run 2 adds stories naming Ronald
    Reagan: the earlier stories change their value in that run, without a rebuild."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "reagan.sgm").write_text(reuters_records(*REAGAN_ONLY), "latin-1")
    first = build_index([corpus], writable_location)
    assert first.re_resolved == 0
    before = people_of(writable_location)
    assert all("Reagan" in before[f"reuters-{n}"] for n in REAGAN_ONLY)

    (corpus / "ronald.sgm").write_text(reuters_records(*RONALD_REAGAN), "latin-1")
    second = build_index([corpus], writable_location)
    after = people_of(writable_location)
    for n in REAGAN_ONLY:
        assert "Ronald Reagan" in after[f"reuters-{n}"], after[f"reuters-{n}"]
        assert "Reagan" not in after[f"reuters-{n}"]
    assert second.re_resolved == len(REAGAN_ONLY)
    assert (second.added, second.unchanged) == (len(RONALD_REAGAN), len(REAGAN_ONLY))
    engine = open_engine(writable_location)
    people = {v.value: v.count for v in engine.search(SearchRequest(query="reagan")).facets["people"]}
    assert people.get("Ronald Reagan") == len(REAGAN_ONLY) + len(RONALD_REAGAN)
    assert "Reagan" not in people
    found = engine.search(SearchRequest(people=("Ronald Reagan",), with_facets=False))
    assert found.total == len(REAGAN_ONLY) + len(RONALD_REAGAN)


def test_newsearch_index_reports_the_articles_it_re_resolved(tmp_path: Path) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    (corpus / "reagan.sgm").write_text(reuters_records(*REAGAN_ONLY), "latin-1")
    runner = CliRunner()
    first = runner.invoke(main, ["index", str(corpus), "--index", str(index)])
    assert "re-resolved 0 earlier articles" in first.output, first.output
    (corpus / "ronald.sgm").write_text(reuters_records(*RONALD_REAGAN), "latin-1")
    second = runner.invoke(main, ["index", str(corpus), "--index", str(index)])
    assert second.exit_code == 0, second.output
    assert f"re-resolved {len(REAGAN_ONLY)} earlier articles" in second.output
    third = runner.invoke(main, ["index", str(corpus), "--index", str(index)])
    assert "re-resolved 0 earlier articles" in third.output  # nothing changed: nothing to do


def test_a_rerun_after_a_crash_in_the_archive_step_finishes_it(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Killed between the writes and the commit, the run leaves the old values; the next
    run, with nothing new to read, still resolves every article (it recomputes from the
    stored inputs, not from what changed)."""
    import indexer.build as build

    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    (corpus / "reagan.sgm").write_text(reuters_records(*REAGAN_ONLY), "latin-1")
    build_index([corpus], index)
    (corpus / "ronald.sgm").write_text(reuters_records(*RONALD_REAGAN), "latin-1")

    def crash(*args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(build, "resolve_archive", crash)
    with pytest.raises(KeyboardInterrupt):
        build_index([corpus], index)
    assert all("Reagan" in people for people in people_of(str(index)).values())
    monkeypatch.undo()
    rerun = build_index([corpus], index)
    after = people_of(str(index))
    assert all("Ronald Reagan" in after[f"reuters-{n}"] for n in REAGAN_ONLY)
    assert rerun.re_resolved == len(REAGAN_ONLY)


# -- spellings ------------------------------------------------------------------------

VARIANTS = {  # NEWIDs -> the one value they must share
    (419, 759, 15048): "Robin Leigh-Pemberton",  # "Robin Leigh Pemberton" in 15048
    (634, 1093, 17629): "Javier Perez de Cuellar",  # "Perez De Cuellar" in 17629
    (2118, 3682, 7094): "Ivan Boesky",  # "Ivan F. Boesky" in 7094
    (3770, 8106, 8186): "Willy de Clercq",  # "Willy De Clercq" in 3770
}


@pytest.fixture(scope="module")
def variants_location(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest):
    corpus = tmp_path_factory.mktemp("variants")
    (corpus / "variants.sgm").write_text(
        reuters_records(*sorted(n for ids in VARIANTS for n in ids)), "latin-1")
    return corpus


def test_spelling_variants_are_one_value_and_the_person_lists_them(
        variants_location: Path, writable_location: str) -> None:
    location = writable_location
    build_index([variants_location], location)
    people = people_of(location)
    engine = open_engine(location)
    for ids, value in VARIANTS.items():
        surname = value.split()[-1].split("-")[-1]
        for n in ids:
            values = [p for p in people[f"reuters-{n}"] if surname in p]
            assert values == [value], (n, people[f"reuters-{n}"])
        assert engine.merged_forms(value), value
    assert ("Ivan F. Boesky", 1) in engine.merged_forms("Ivan Boesky")
    assert ("Willy De Clercq", 1) in engine.merged_forms("willy DE clercq")
    assert engine.merged_forms("Nobody Atall") == []


def test_the_person_page_and_show_list_the_merged_forms(variants_location: Path,
                                                        writable_location: str) -> None:
    from webapp import create_app

    index = writable_location
    build_index([variants_location], index)
    client = create_app({"INDEX_DIR": str(index)}).test_client()
    page = client.get("/person/Ivan Boesky").get_data(as_text=True)
    assert 'id="merged-forms"' in page
    assert "Ivan F. Boesky" in page
    plain = client.get("/person/Javier Perez de Cuellar").get_data(as_text=True)
    assert "Perez De Cuellar" in plain
    shown = CliRunner().invoke(main, ["show", "reuters-7094", "--index", str(index)])
    assert shown.exit_code == 0, shown.output
    assert "People: " in shown.output and "Ivan Boesky" in shown.output
    assert "Ivan Boesky is also written: Ivan F. Boesky (1)" in shown.output
    as_json = json.loads(CliRunner().invoke(
        main, ["show", "reuters-7094", "--index", str(index), "--format", "json"]).output)
    assert {"form": "Ivan F. Boesky", "articles": 1} in as_json["merged_forms"]["Ivan Boesky"]


def test_variants_merge_but_different_middle_initials_stay_apart() -> None:
    def table(*articles: tuple[str, ...]) -> NameTable:
        return NameTable([PersonInput(a) for a in articles], given_names())

    t = table(("George Bush",), ("George H.W. Bush",), ("George W. Bush",), ("George W. Bush",),
              ("Ivan F. Boesky",), ("Ivan Boesky",), ("Ivan Boesky",))
    assert t.resolve(PersonInput(("George Bush",)))[0] == ["George Bush"]
    assert t.resolve(PersonInput(("George H.W. Bush",)))[0] == ["George H.W. Bush"]
    assert t.resolve(PersonInput(("Ivan F. Boesky",))) == (["Ivan Boesky"],
                                                           {"Ivan F. Boesky": "Ivan Boesky"})
    assert t.resolve(PersonInput(("Bush",)))[0] == ["Bush"]  # three candidates, no evidence


# -- ambiguous surnames ----------------------------------------------------------------

TREASURY = ("Treasury Secretary James Baker said the United States and Japan would "
            "cooperate to keep the dollar stable. Baker told reporters that the Group of "
            "Seven finance ministers agreed in Paris.")
WHITE_HOUSE = ("White House chief of staff Howard Baker said President Ronald Reagan would "
               "address the nation on the Iran arms affair. Baker said the president was "
               "in good health.")
STORIES = {
    "james-1": ("Baker sees dollar stable", TREASURY, "1987-03-02"),
    "james-2": ("Baker meets Miyazawa", "Treasury Secretary James Baker met Japanese "
                "Finance Minister Kiichi Miyazawa in Washington on the yen.", "1987-03-10"),
    "james-3": ("Baker on trade", "U.S. Treasury Secretary James Baker said the trade "
                "deficit with Japan would narrow.", "1987-04-01"),
    "howard-1": ("Reagan to speak", WHITE_HOUSE, "1987-03-03"),
    "howard-2": ("Baker on Iran", "Howard Baker, the White House chief of staff, said "
                 "President Ronald Reagan had not known of the Iran arms payments.",
                 "1987-03-12"),
    # The mentions to decide: a surname with an honorific and what the story shows.
    "treasury-baker": ("Dollar", "Treasury Secretary Baker told reporters in Washington "
                       "the dollar had fallen far enough against the yen and Japan agreed.",
                       "1987-03-20"),
    "white-house-baker": ("Iran", "Mr Baker, the White House chief of staff, said the "
                          "president would answer questions on Iran.", "1987-03-21"),
    "just-baker": ("Statement", "Mr Baker said on Tuesday that a statement would follow.",
                   "1987-03-22"),
}


@pytest.fixture(scope="module")
def bakers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    corpus = tmp_path_factory.mktemp("bakers")
    for name, (title, text, day) in STORIES.items():
        (corpus / f"{name}.json").write_text(json.dumps(
            {"title": title, "maintext": text, "date_publish": day}), "utf-8")
    return corpus


def test_an_ambiguous_surname_goes_where_the_article_points_or_stays(
        bakers: Path, writable_location: str) -> None:
    build_index([bakers], writable_location)
    people = {k.removesuffix(".json"): v for k, v in people_of(writable_location).items()}
    assert "James Baker" in people["treasury-baker"], people["treasury-baker"]
    assert "Howard Baker" in people["white-house-baker"], people["white-house-baker"]
    assert [p for p in people["just-baker"] if "Baker" in p] == ["Baker"]  # never a guess
    for story in ("james-1", "james-2", "james-3"):
        assert "Howard Baker" not in people[story]
    for story in ("howard-1", "howard-2"):
        assert "James Baker" not in people[story]


def test_the_archive_keeps_people_tags_sharing_a_surname_apart() -> None:
    """Frequency alone decides nothing: four James Bakers and one Howard Baker, and a
    "Baker" the article tells nothing about, stays "Baker" (among twenty other stories,
    so that a title word is as rare as in an archive)."""
    james = PersonInput(("James Baker",), {"James Baker": ("treasury", "secretary")},
                        places=("United States", "Japan"))
    howard = PersonInput(("Howard Baker",), {"Howard Baker": ("white", "house", "chief", "staff")},
                         places=("United States", "Iran"))
    others = [PersonInput(("Paul Volcker",), {"Paul Volcker": ("federal", "reserve", "chairman")},
                          places=("United States",)),
              PersonInput(("Yasuhiro Nakasone",), {"Yasuhiro Nakasone": ("prime", "minister")},
                          places=("Japan",))] * 10
    t = NameTable([james] * 4 + [howard] + others, given_names())
    assert t.resolve(PersonInput(("Baker",), places=("United States",)))[0] == ["Baker"]
    assert t.resolve(PersonInput(("Baker",), {"Baker": ("treasury", "secretary")}))[0] == \
        ["James Baker"]
    assert t.resolve(PersonInput(("Baker",), {"Baker": ("white", "house", "chief", "staff")},
                                 places=("Iran",)))[0] == ["Howard Baker"]


def test_the_only_full_name_of_a_surname_is_not_taken_against_the_title() -> None:
    """"Prince Charles" is no Ray Charles, though the archive names no other Charles in
    full; "singer Charles" is."""
    ray = PersonInput(("Ray Charles",), {"Ray Charles": ("singer", "soul")},
                      places=("United States",))
    others = [PersonInput(("Tony Blair",), {"Tony Blair": ("prime", "minister")},
                          places=("United Kingdom",))] * 20
    t = NameTable([ray] * 12 + others, given_names())
    assert t.resolve(PersonInput(("Charles",), {"Charles": ("prince",)}))[0] == ["Charles"]
    assert t.resolve(PersonInput(("Charles",), {"Charles": ("singer",)}))[0] == ["Ray Charles"]
    assert t.resolve(PersonInput(("Charles",)))[0] == ["Ray Charles"]  # nothing against him


def test_a_name_the_archive_mostly_calls_an_organisation_is_no_person() -> None:
    """"Merrill Lynch" named with no cue is a person in the article's eyes; the archive,
    which calls it a firm in most of its articles, takes it out of the people."""
    firm = PersonInput((), organizations=("Merrill Lynch",))
    bare = PersonInput(("Merrill Lynch", "John Phelan"))
    t = NameTable([firm] * 3 + [bare], given_names())
    assert t.resolve(bare)[0] == ["John Phelan"]
    assert NameTable([firm, bare, bare], given_names()).resolve(bare)[0] == \
        ["Merrill Lynch", "John Phelan"]


def test_the_archive_step_makes_the_news_gold_file_no_worse() -> None:
    """People F1 of the hand-labelled news articles, resolved across the file as an index
    of them would hold them (``python -m indexer.evaluate --archive``), is at least that
    of extraction alone. (Not every gold file: a file of 40 drawn articles is a poor
    archive, and its gold writes "Trump" where the step rightly writes "Donald Trump";
    docs/BENCHMARKS.md gives the figures of all of them.)"""
    from indexer.evaluate import evaluate_gold
    from tests.conftest import REPO

    gold = REPO / "tests" / "data" / "gold" / "news.json"
    alone = evaluate_gold(gold, shared_path()).people.as_dict()
    across = evaluate_gold(gold, shared_path(), archive=True).people.as_dict()
    assert across["f1"] >= alone["f1"], (alone, across)


def test_a_short_given_name_joins_the_full_one_the_archive_also_writes() -> None:
    t = NameTable([PersonInput(("Jim Wright",))] * 3 + [PersonInput(("James Wright",)),
                                                         PersonInput(("Bill Bradley",))],
                  given_names())
    assert t.resolve(PersonInput(("James Wright",)))[0] == ["Jim Wright"]  # the most used
    assert t.resolve(PersonInput(("Bill Bradley",)))[0] == ["Bill Bradley"]  # no other form


def test_a_one_off_given_name_under_one_persons_office_is_that_person() -> None:
    """Reuters names "Energy Secretary John Herrington" in 18 stories and "Energy Secretary
    James Herrington" in one: the office is his, so the one-off is him, and the person's
    page lists the spelling. A title many hold ("chairman") joins nobody, nor does a
    one-off in a story that names the office holder too."""
    def energy(name: str, *more: str) -> PersonInput:
        return PersonInput((name, *more), {name: ("energy", "secretary")}, places=("United States",))

    def chairman(name: str) -> PersonInput:
        return PersonInput((name,), {name: ("chairman",)})

    john, james = energy("John Herrington"), energy("James Herrington")
    t = NameTable([john] * 4 + [energy("Donald Hodel"), james], given_names())
    assert t.resolve(james) == (["John Herrington"], {"James Herrington": "John Herrington"})

    both = energy("James Herrington", "John Herrington")
    assert NameTable([john] * 4 + [both], given_names()).resolve(both)[0] == \
        ["James Herrington", "John Herrington"]

    firms = [chairman("Roger Smith")] * 3 + [chairman("Lee Iacocca")] * 3 + [chairman("John Akers")] * 3
    assert NameTable([*firms, chairman("Jack Smith")], given_names()).resolve(
        chairman("Jack Smith"))[0] == ["Jack Smith"]


def test_a_surname_in_a_line_up_takes_only_a_player():
    """A match report's "Brown" and "Spector" are players: "Brown" is Wes Brown, whom the
    archive names in other match reports, not Paul Brown of the politics stories;
    "Spector" stays a surname, though the archive names no Spector but the record
    producer (BBC sport/095.txt, where Phil Spector once stood for Jonathan). A player the
    archive names only outside match reports is still taken when that story shares a
    person with this one."""
    def story(*people: str, cue: tuple[str, ...] = (), places: tuple[str, ...] = ("United Kingdom",),
              line_up: bool = False) -> PersonInput:
        return PersonInput(people, {p: cue for p in people}, places=places, line_up=line_up)

    archive = ([story("Wes Brown", "Alex Ferguson", line_up=True)] * 2
               + [story("Paul Brown", "Tony Blair", cue=("minister",))] * 3
               + [story("Phil Spector", cue=("producer", "record"), places=("United States",))] * 6
               + [story("Marco Bortolami", "John Kirwan", cue=("captain",), places=("Italy",))] * 10
               + [story("Tony Blair", cue=("prime", "minister"))] * 10)
    t = NameTable(archive, given_names())
    report = story("Brown", "Spector", "Alex Ferguson", line_up=True)
    assert t.resolve(report)[0] == ["Wes Brown", "Spector", "Alex Ferguson"]
    italy = story("Bortolami", "John Kirwan", places=("Italy",), line_up=True)
    assert t.resolve(italy)[0] == ["Marco Bortolami", "John Kirwan"]
    assert t.resolve(story("Spector", places=("United States",)))[0] == ["Phil Spector"]  # prose


def test_a_name_the_archive_mostly_calls_a_work_or_a_band_is_no_person() -> None:
    """BBC calls "Vera Drake" a film in 16 articles and leaves it a person in 6 that name it
    with no cue; the archive takes it out of those six. Elvis Presley, whom one story
    calls a band's name, is a person in eleven and stays one."""
    from indexer.archive.table import input_of
    from indexer.article import Article
    from indexer.extract import extract
    from indexer.record import to_record

    film = Article(id="f", title="", source="test",
                   body="Mike Leigh's film Vera Drake won the Golden Lion at the Venice film festival.")
    found = extract(film)
    assert "vera drake" in found.things and "Vera Drake" not in found.people
    stored = to_record(film, found, file="f", file_hash="h")["people_input"]
    held = input_of(json.loads(json.dumps(stored)), found.people, 0, (), ())
    assert "vera drake" in held.things  # kept with the article, read back by the archive step

    bare = PersonInput(("Vera Drake", "Imelda Staunton"))
    t = NameTable([held] * 3 + [bare] * 2, given_names())
    assert t.resolve(bare)[0] == ["Imelda Staunton"]
    elvis = PersonInput(("Elvis Presley",))
    band = PersonInput((), things=("elvis presley",))
    assert NameTable([elvis] * 11 + [band], given_names()).resolve(elvis)[0] == ["Elvis Presley"]


def test_the_office_rule_does_not_depend_on_the_order_of_the_articles() -> None:
    """Two one-offs under overlapping titles are judged on the archive as it was before
    either joined anyone, so the table is the same whichever comes first."""
    def titled(name: str, *cue: str) -> PersonInput:
        return PersonInput((name,), {name: cue})

    archive = ([titled("John Herrington", "us", "energy", "secretary")] * 3
               + [titled("Donald Hodel", "energy", "secretary")] * 3)
    one_offs = [titled("James Herrington", "us", "energy", "secretary"),
                titled("Jack Herrington", "energy", "secretary")]
    tables = [NameTable(archive + order, given_names()) for order in (one_offs, one_offs[::-1])]
    people = [[t.resolve(item)[0] for item in one_offs] for t in tables]
    assert people[0] == people[1] == [["John Herrington"], ["Jack Herrington"]], people
