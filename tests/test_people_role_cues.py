"""Role words before a full name whose given name no list knows (issue 13): "DJ", "aide",
a post with its portfolio, a ranking or an age."""

from __future__ import annotations

from tests.extracting import people


def test_dj_and_aide_title_the_name_after_them():
    # bbc/entertainment/122.txt; giveme5w1h gold_standard c984b0fb…
    assert people("DJ Norman Cook - aka Fatboy Slim - has said that dance music is not dead.") == ["Norman Cook"]
    assert "Dan Peppe" in people("his marriage to Radio One presenter Zoe Ball, after she was linked with DJ Dan Peppe.")
    assert people("The emails were discovered on the computer of the estranged husband of Clinton aide "
                  "Huma Abedin.") == ["Huma Abedin"]


def test_a_post_with_its_portfolio_titles_the_name():
    # bbc/politics/340.txt
    assert "Jacqui Smith" in people("Labour's deputy minister for women Jacqui Smith accused the Lib Dems "
                                    "of offering \"false promises\" to women.")


def test_a_post_of_a_firm_names_the_firm_not_a_person():
    # bbc/tech/253.txt; giveme5w1h news_cluster (Blackfish)
    assert "Toshiba Elevator" not in people('"It was a challenge for us," said Masayuki Shimono, president of '
                                            "manufacturer Toshiba Elevator and Building Systems.")
    assert people("She interviewed Elspas, founder of the blog Mommy Blog Expert, as the film was set to air.") == []


def test_a_ranking_or_an_age_titles_the_name():
    # bbc/sport/449.txt
    assert "Arvind Parmar" in people("a likely trio of Bogdanovic, Murray and the 187th-ranked Arvind Parmar.")
    assert people("The 19-year-old Wayne Rooney scored twice.") == ["Wayne Rooney"]


def test_a_web_address_is_no_part_of_the_name_before_it():
    # giveme5w1h: "top Clinton aide, Huma Abedin Dailymail.com exclusively published"
    assert people("Weiner is the estranged husband of top Clinton aide, Huma Abedin Dailymail.com exclusively "
                  "published reports.") == ["Huma Abedin"]
