"""Transcript speaker lines (issue 13): all-capital names before a colon are people."""

from __future__ import annotations

from tests.extracting import people

# giveme5w1h news_cluster 63296f4e… (an NPR transcript)
NPR = ("President Obama has been briefed on the unfolding situation in Nice, France.\n"
       "ARI SHAPIRO, HOST:\nScores of people are dead after a truck plowed into a crowd. We're joined now by "
       "NPR's White House correspondent Scott Horsley. Hi, Scott.\n"
       "SCOTT HORSLEY, BYLINE: Good to be with you, Ari.\n"
       "SHAPIRO: What can you tell us about the White House response to this situation?\n"
       "HORSLEY: Well, we know that the president was informed of events in Nice.")


def test_a_speaker_line_names_the_speaker_in_full():
    found = people(NPR)
    assert "Ari Shapiro" in found and "Scott Horsley" in found


def test_a_title_on_a_speaker_line_goes():
    assert "Barack Obama" in people("PRESIDENT BARACK OBAMA: Good afternoon, everybody.\nThank you.")


def test_capital_headings_that_name_no_one_are_no_speaker():
    assert people("BREAKING NEWS: markets fell sharply.\nUPDATE AT NOON: trading resumed.") == []
