"""Titles, dates and suffixes around names (issue 13): a title alone is no person, a royal
known by a given name keeps the title, "Last June" is a date."""

from __future__ import annotations

from tests.extracting import people


def test_a_title_with_no_name_is_no_person():
    # giveme5w1h gold_standard b1c14ee2…
    assert people("'So Mr. President, it was a great honor being with you,' he said.") == []
    # a caption's name run into the next one's title: the title goes
    assert people("Photo: Vice President-elect Mike Pence President-elect\nThe motorcade left.") == ["Mike Pence"]


def test_a_royal_known_by_a_given_name_keeps_the_title():
    # html/aeb 87bf6057…
    assert people("Prince Andrew has stepped back from public duties, Queen Elizabeth II agreed. "
                  "Andrew said he regretted his friendship.") == ["Prince Andrew", "Queen Elizabeth II"]


def test_a_month_after_last_is_a_date_not_a_given_name():
    # bbc/sport/307.txt
    assert people("\"Grewcock did a similar thing for Bath against Leinster.\" Last June Grewcock was banned "
                  "from rugby for two months. Danny Grewcock apologised.") == ["Danny Grewcock"]


def test_a_given_name_and_a_suffix_is_no_full_name():
    # giveme5w1h gold_standard b1c14ee2…
    assert people("Trump's adult children, Ivanka, Eric and Don Jr., have said they would stay in New York.") == []


def test_a_middle_initial_joined_to_a_full_name_shares_its_surname():
    # giveme5w1h gold_standard b1c14ee2…
    found = people("waiting outside for them to arrive George W and Laura Bush met with Barack and Michelle Obama.")
    assert {"George W Bush", "Laura Bush", "Michelle Obama"} <= set(found) and "George W" not in found
    # a given name alone does not: two people as often as a couple (bbc/entertainment)
    assert "Madonna Bowie" not in people("The show featured Madonna and David Bowie.")
