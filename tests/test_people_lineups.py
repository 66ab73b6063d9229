"""Line-up lists (issue 13): players a sports report names only by surname in its sides."""

from __future__ import annotations

from tests.extracting import people

# bbc/sport/417.txt (the team names are cut from the corpus's line-up lines)
RUGBY = ("Shane Horgan switches from wing to centre where he will be joined by Ulster's Kevin Maggs. "
         "Girvan Dempsey comes into the team to take the right wing spot.\n\n"
         ": Murphy, Dempsey, Horgan, Maggs, Hickie, O'Gara, Stringer, Corrigan, Byrne, Hayes, O'Kelly, "
         "O'Connell, capt, S Easterby, O'Connor, Foley.\n\n"
         ": Sheahan, Horan, O'Callaghan, Miller, G Easterby, Humphreys, Duffy.")


def test_a_side_lists_its_players_as_surname_values():
    found = people(RUGBY)
    assert {"Murphy", "Hickie", "O'Gara", "Stringer", "Humphreys", "Sheahan"} <= set(found)
    assert "capt" not in found and "Capt" not in found


def test_a_listed_surname_is_the_full_name_the_report_gives():
    # "Horgan" is Shane Horgan; "Girvan" is in no list of given names, but the line-up
    # makes "Girvan Dempsey" a player.
    found = people(RUGBY)
    assert "Shane Horgan" in found and "Horgan" not in found
    assert "Girvan Dempsey" in found and "Dempsey" not in found


def test_an_initial_stays_only_where_two_players_share_the_surname():
    found = people(RUGBY)
    assert {"S Easterby", "G Easterby"} <= set(found)
    assert "Easterby" not in found


def test_replacements_substitutes_and_officials_are_players():
    # bbc/sport/294.txt; bbc/sport/101.txt
    found = people("Irish replied with three penalties and a Mark Mapletoft drop goal.\n\n"
                   "Replacements: Everitt for Mapletoft (53), Hodgson for Edwards (77). Not used: Fury, Brooks\n\n"
                   "Man City: James, Mills (Bradley Wright-Phillips 83), Dunne, Distin, Thatcher, "
                   "Shaun Wright-Phillips, Barton (Macken 68), Sibierski, McManaman, Musampa, Fowler. "
                   "Subs Not Used: Weaver, Onuoha, Flood. Goals: Rooney 68, Dunne 75 og. Att: 47,111 Ref: S Bennett (Kent).")
    assert {"Mark Mapletoft", "Everitt", "Hodgson", "Edwards", "Fury", "Brooks", "Bradley Wright-Phillips",
            "Macken", "Weaver", "Rooney", "Bennett"} <= set(found)
    assert "Mapletoft" not in found  # "a Mark Mapletoft drop goal" names him in full


def test_prose_lists_are_no_line_up():
    # bbc/business/058.txt-like brand list; a list of cities; a short list with no line-up label
    assert people("Electrolux's subsidiary brands include AEG, Zanussi and Frigidaire.") == []
    assert people("The tour stops in Nashville, Toronto, Denver, Seattle, Boston, Chicago, Dallas, Atlanta.") == []
    assert people("Tags: Apple, Samsung, Huawei, Xiaomi.") == []


def test_a_match_report_is_marked_as_one_for_the_archive():
    """The archive is told which articles are match reports: one with a line-up is marked
    so, with its people, in what the article keeps for the archive step; a prose list of
    names is not."""
    from indexer.archive.table import input_of
    from indexer.article import Article
    from indexer.extract import extract
    from indexer.record import to_record

    report = extract(Article(id="t", title="", source="test", body=(  # bbc/sport/095.txt
        "- Manchester United coach Sir Alex Ferguson: \"It was a fantastic performance by us.\" "
        "Manchester United: Carroll, Gary Neville, Brown, Ferdinand, Heinze, Ronaldo, Phil Neville, "
        "Keane, Scholes, Fortune, Rooney. Subs: Howard, Giggs, Smith, Miller, Spector. "
        "Referee: R Styles (Hampshire)")))
    assert {"Alex Ferguson", "Brown", "Spector", "Howard"} <= set(report.people)
    assert report.line_up
    stored = to_record(Article(id="t", title="", body="", source="test"), report, file="f", file_hash="h")
    assert input_of(stored["people_input"], (), 0, (), ()).line_up
    prose = extract(Article(id="p", title="", source="test",
                            body="Treasury Secretary James Baker met Paul Volcker, Alan Greenspan and Nigel Lawson."))
    assert not prose.line_up
