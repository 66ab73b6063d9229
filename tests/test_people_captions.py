"""Photo captions and credits that run into the next sentence with no full stop (issue 13)."""

from __future__ import annotations

from indexer.article import Article
from indexer.extract import extract


def entities(body: str):
    return extract(Article(id="t", title="", body=body, source="test"))


def people(body: str) -> list[str]:
    return list(entities(body).people)


def test_a_caption_ends_before_the_next_sentence_s_first_word():
    # giveme5w1h gold_standard b1c14ee2…, 08ebc52c…, c984b0fb…
    assert set(people("to the White House where he will meet with President Barack Obama As Trump meets with Obama, "
                      "First lady Michelle Obama planned to meet Melania Trump.")) == {
        "Barack Obama", "Michelle Obama", "Melania Trump"}
    assert people("The other three people killed have now been named as Donald Collett, Philip Logan and "
                  "Robert Huxley Click to share on WhatsApp") == ["Donald Collett", "Philip Logan", "Robert Huxley"]
    assert people("\"I hope now that the news is not too late,\" Weinstein said. Contributing: David Jackson "
                  "Read or Share this story") == ["David Jackson"]
    assert "Collin Brennan" in people("Talk about a November surprise. USA TODAY, Collin Brennan Democratic "
                                      "presidential candidate Hillary Clinton (Photo: Ethan Miller, Getty Images)")


def test_a_photo_agency_after_a_name_is_no_part_of_it():
    # giveme5w1h gold_standard 08ebc52c…: "Dane" is a given name here, not Denmark
    found = entities("Left to right: Dorota Rynkiewicz, Mark Smith, Phil Seary and Dane Chinnery Getty Images "
                     "22 Rail workers at the site work to fix the track.")
    assert "Dane Chinnery" in found.people
    assert "Denmark" not in found.countries


def test_two_surnames_run_together_are_two_people():
    # giveme5w1h gold_standard b1c14ee2…: "Denis McDonough Trump aide Dan Scavino"
    found = people("Kushner was seen speaking to White House Chief of Staff Denis McDonough Trump aide Dan Scavino. "
                   "McDonough and Kushner broke off. Jared Kushner and Donald Trump met, and Trump left.")
    assert "Denis McDonough" in found and "Denis McDonough Trump" not in found


def test_a_place_before_a_photo_credit_is_no_person():
    # giveme5w1h: "Washington View Photos Trump"
    assert people("Motorcade in Washington View Photos Trump arrives. Donald Trump then spoke.") == ["Donald Trump"]
