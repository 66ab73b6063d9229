"""Firms, exchanges and magazines named like people stay out of the people facet (issue 13)."""

from __future__ import annotations

from tests.extracting import people


def test_which_after_a_name_makes_it_a_thing():
    # giveme5w1h news_cluster 53554343…
    assert people("The tax cut will boost big-bank earnings. The top beneficiary will be Wells Fargo, which has "
                  "been dogged by scandals over cheating customers.") == []


def test_which_after_a_name_the_article_uses_alone_is_still_a_person():
    # bbc/politics/257.txt
    found = people("The claims in Brown's Britain, by Sunday Telegraph journalist Robert Peston, which suggested "
                   "Mr Blair went back on a deal. Mr Peston said the book was accurate.")
    assert "Robert Peston" in found


def test_a_magazine_named_as_one_is_no_person():
    # bbc/tech/260.txt
    assert people("Ian Harris, deputy editor of UK magazine Mac Format, said the machine would appeal to "
                  "PC-owning consumers.") == ["Ian Harris"]


def test_a_foreign_exchange_s_name_is_no_person():
    # bbc/business/264.txt
    assert people("Euronext chief Jean-Francois Theodore held talks with LSE boss Clara Furse the day after "
                  "rival Deutsche Boerse put forward its own bid case.") == ["Jean-Francois Theodore", "Clara Furse"]
