"""The entity evaluator: gold files, Reuters tags, scoring and output shapes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer.evaluate import (
    Score,
    canonical_country,
    main,
    reuters_place,
    same_person,
    same_surname,
)
from indexer.extract.countries import by_name

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
GOLD = Path(__file__).parent / "data" / "gold" / "news.json"

STORY = """Kono hurries to meet Pompeo

TOKYO — The meeting in Amman between Japanese Foreign Minister Taro Kono and U.S. Secretary of
State Mike Pompeo was agreed to just the day before.

Kono and Pompeo agreed that North Korea needs to act.
"""

REUTERS = """<!DOCTYPE lewis SYSTEM "lewis.dtd">
<REUTERS TOPICS="YES" LEWISSPLIT="TRAIN" CGISPLIT="TRAINING-SET" OLDID="5544" NEWID="1">
<DATE>26-FEB-1987 15:01:01.79</DATE>
<TOPICS><D>money-fx</D></TOPICS>
<PLACES><D>usa</D><D>west-germany</D></PLACES>
<PEOPLE><D>james-baker</D><D>stoltenberg</D></PEOPLE>
<ORGS></ORGS><EXCHANGES></EXCHANGES><COMPANIES></COMPANIES>
<TEXT>&#2;
<TITLE>BAKER AND STOLTENBERG MEET</TITLE>
<DATELINE>    WASHINGTON, Feb 26 - </DATELINE><BODY>Treasury Secretary James Baker met West German
Finance Minister Gerhard Stoltenberg, U.S. officials said.
 Reuter
&#3;</BODY></TEXT>
</REUTERS>
"""


@pytest.fixture()
def gold_dir(tmp_path: Path) -> Path:
    (tmp_path / "story.txt").write_text(STORY, encoding="utf-8")
    gold = [{"path": "story.txt", "people": ["Taro Kono", "Mike Pompeo", "Kim Jong Un"],
             "countries": ["Japan", "U.S.", "Jordan", "North Korea"]}]
    (tmp_path / "gold.json").write_text(json.dumps(gold), encoding="utf-8")
    return tmp_path


def test_gold_json_output_has_the_documented_shape(gold_dir: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["--gold", str(gold_dir / "gold.json"), "--root", str(gold_dir), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"people", "countries", "articles"}
    assert out["articles"] == 1
    assert set(out["people"]) == {"precision", "recall", "f1", "tp", "fp", "fn"}
    # Two of three people found, none spurious; "U.S." in the gold counts as United States.
    assert (out["people"]["tp"], out["people"]["fp"], out["people"]["fn"]) == (2, 0, 1)
    assert out["people"]["precision"] == 1.0 and out["people"]["recall"] == pytest.approx(0.6667)
    assert (out["countries"]["tp"], out["countries"]["fp"], out["countries"]["fn"]) == (4, 0, 0)


def test_verbose_lists_per_article_misses(gold_dir: Path, capsys: pytest.CaptureFixture[str]):
    main(["--gold", str(gold_dir / "gold.json"), "--root", str(gold_dir), "-v"])
    out = capsys.readouterr().out
    assert "people         P=1.000 R=0.667" in out
    assert "story.txt" in out and "missed ['Kim Jong Un']" in out


def test_reuters_scores_places_and_people_by_surname(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    (tmp_path / "reut2-000.sgm").write_text(REUTERS, encoding="latin-1")
    main(["--reuters", str(tmp_path), "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert out["articles"] == 1
    assert (out["people"]["tp"], out["people"]["fn"]) == (2, 0)
    # 1987: "West German" is West Germany, not today's Germany.
    assert (out["countries"]["tp"], out["countries"]["fp"], out["countries"]["fn"]) == (2, 0, 0)
    # Editor tags say what a story is about, so they also score the "about" facet.
    assert (out["about"]["tp"], out["about"]["fp"], out["about"]["fn"]) == (2, 0, 0)


def test_micro_scores_sum_counts_before_dividing():
    score = Score()
    score.add({"a", "b"}, {"a"}, str.__eq__)
    score.add({"c"}, {"c", "d", "e"}, str.__eq__)
    assert score.as_dict() == {"precision": 0.5, "recall": 0.6667, "f1": 0.5714, "tp": 2, "fp": 2, "fn": 1}


def test_people_match_ignores_case_accents_and_hyphens():
    assert same_person("Kim Jong-un", "Kim Jong Un")
    assert same_person("Kimi Räikkönen", "Kimi Raikkonen")
    assert not same_person("Mike Pompeo", "Pompeo")


def test_reuters_people_match_by_surname():
    assert same_surname("james-baker", "James Baker")
    assert same_surname("reagan", "Reagan")
    assert same_surname("leigh-pemberton", "Robin Leigh-Pemberton")
    assert not same_surname("james-baker", "Howard Bakerman")


def test_gold_country_labels_are_canonicalised():
    assert canonical_country("U.S.") == "United States"
    assert canonical_country("Korea, Republic of") == "Korea, Republic of"  # unknown labels are kept
    assert reuters_place("usa") == "United States"
    assert reuters_place("west-germany") == "West Germany"
    assert reuters_place("south-korea") == "South Korea"


def test_every_reuters_place_maps_to_a_known_country():
    places = SHARED / "corpora" / "reuters21578" / "all-places-strings.lc.txt"
    if not places.is_file():
        pytest.skip(f"Reuters-21578 not found at {places.parent} (../shared is absent)")
    slugs = [s.strip() for s in places.read_text(encoding="latin-1").split() if s.strip()]
    unknown = [s for s in slugs if by_name(reuters_place(s)) is None]
    assert unknown == []


def test_project_gold_set_meets_the_targets():
    if not (SHARED / "corpora" / "bbc").is_dir():
        pytest.skip(f"corpora not found under {SHARED} (../shared is absent)")
    from indexer.evaluate import evaluate_gold

    report = evaluate_gold(GOLD, SHARED).as_dict()
    assert report["people"]["f1"] >= 0.90
    assert report["countries"]["f1"] >= 0.90


# People F1 each gold set reached (issue 13): a floor, so that no later rule makes a set
# worse. fresh3 was scored once, untouched, at 0.9227, then tuned on (third round: 0.9570);
# fresh4 once, untouched, at 0.9071, then tuned on (fourth round: 0.9404).
PEOPLE_F1_FLOORS = {"news.json": 0.9700, "heldout.json": 0.9859, "fresh.json": 0.9804, "fresh2.json": 0.9706,
                    "fresh3.json": 0.9569, "fresh4.json": 0.9403}


@pytest.mark.parametrize("name", sorted(PEOPLE_F1_FLOORS))
def test_gold_sets_do_not_get_worse(name: str):
    if not (SHARED / "corpora" / "bbc").is_dir():
        pytest.skip(f"corpora not found under {SHARED} (../shared is absent)")
    from indexer.evaluate import evaluate_gold

    report = evaluate_gold(GOLD.parent / name, SHARED).as_dict()
    assert report["people"]["f1"] >= PEOPLE_F1_FLOORS[name]


# --- Gold files stay well-formed (issue 13: fresh2.json and fresh3.json joined news/heldout/fresh)

GOLD_FILES = sorted(p.name for p in GOLD.parent.glob("*.json") if p.name != "organisations.json")


def gold_label_problems(gold_file: Path, root: Path) -> list[str]:
    """Labels that cannot be right whatever the extractor does: a person whose name is not
    in the article's text (a typo), an unknown country, a path the readers cannot read."""
    from indexer.evaluate import _first_article

    problems = []
    for entry in json.loads(gold_file.read_text(encoding="utf-8")):
        article = _first_article(root / entry["path"])
        if article is None:
            problems.append(f"{entry['path']}: unreadable")
            continue
        text = f"{article.title}\n{article.body}".casefold()
        problems += [f"{entry['path']}: person {p!r} not in the text"
                     for p in entry["people"] if p.casefold() not in text]
        problems += [f"{entry['path']}: unknown country {c!r}"
                     for c in entry["countries"] if by_name(canonical_country(c)) is None]
        if len(set(entry["people"])) != len(entry["people"]):
            problems.append(f"{entry['path']}: a person is listed twice")
    return problems


@pytest.mark.parametrize("name", GOLD_FILES)
def test_gold_labels_name_people_of_the_text_and_known_countries(name: str):
    if not (SHARED / "corpora" / "bbc").is_dir():
        pytest.skip(f"corpora not found under {SHARED} (../shared is absent)")
    assert gold_label_problems(GOLD.parent / name, SHARED) == []


def test_gold_check_reports_a_mistyped_label(gold_dir: Path):
    gold = [{"path": "story.txt", "people": ["Taro Kono", "Mike Pompoe"], "countries": ["Japan", "Jordon"]}]
    (gold_dir / "typo.json").write_text(json.dumps(gold), encoding="utf-8")
    assert gold_label_problems(gold_dir / "typo.json", gold_dir) == [
        "story.txt: person 'Mike Pompoe' not in the text", "story.txt: unknown country 'Jordon'"]
