"""The facet registry: every facet declared once.

A facet's name (``people``) is its key in requests, results and JSON; its field
(``person``) is the query language's ``person:``, the URL parameter ``person=`` (and
``xperson=`` to exclude) and the CLI's ``--person`` (and ``--exclude-person``), unless
``option`` gives the CLI a shorter name (``--org`` for ``organization``, which the
query language then also takes: ``org:``); its record key is where the indexer puts its
values. The CLI options, the URL parameters, the filter
chips, the sidebar, the Whoosh columns and the OpenSearch mapping are all built from this
table, so a facet is added here (plus its extractor) and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Facet:
    name: str  # request/result key: "people"
    field: str  # query field, URL parameter, CLI option: "person"
    label: str  # heading: "People"
    singular: str  # chip label: "Person"
    record_key: str  # the record's list of values: "people"
    help: str  # the CLI filter option's help
    exclude_help: str
    placeholder: str = ""  # the sidebar's "search inside" box
    note: str = ""  # the sidebar's explanation, if the name needs one
    sidebar_always: bool = True  # False: only when there is a choice to make
    option: str = ""  # the CLI option and a query alias, when shorter than the field: "org"

    @property
    def cli_name(self) -> str:
        """The CLI option's name: ``--person``, ``--org``."""
        return self.option or self.field

    @property
    def exclude_name(self) -> str:
        """The SearchRequest field of its exclusions: ``exclude_people``."""
        return f"exclude_{self.name}"

    @property
    def exclude_param(self) -> str:
        """The URL parameter that excludes a value: ``xperson``."""
        return f"x{self.field}"

    @property
    def exclude_label(self) -> str:
        return f"Not {self.singular[0].lower()}{self.singular[1:]}"


def canonical(value: str) -> str:
    """The form a filter value is matched in (facet fields are indexed lowercase)."""
    return value.casefold()


REGISTRY: tuple[Facet, ...] = (
    Facet("people", "person", "People", "Person", "people",
          "Only articles naming this person (repeatable: OR).",
          "Leave out articles naming this person.", "Search people…"),
    Facet("countries", "country", "Countries", "Country", "countries",
          "Only articles mentioning this country (repeatable: OR).",
          "Leave out articles mentioning this country.", "Search countries…",
          "Every country an article mentions"),
    Facet("about", "about", "Mainly about", "Mainly about", "about",
          "Only articles mainly about this country (its dateline, headline or lead, or "
          "named twice; repeatable: OR).",
          "Leave out articles mainly about this country.", "Search countries…",
          "Countries in the dateline, headline or first lines, or named at least twice"),
    Facet("organizations", "organization", "Organisations", "Organisation", "organizations",
          "Only articles naming this organisation: a firm, bank, agency, party, club or "
          "international body (repeatable: OR).",
          "Leave out articles naming this organisation.", "Search organisations…",
          option="org"),
    Facet("sources", "source", "Sources", "Source", "source",
          "Only articles from this source (repeatable: OR).",
          "Leave out articles from this source.", "Search sources…",
          sidebar_always=False),
)
BY_NAME = {f.name: f for f in REGISTRY}
BY_FIELD = {f.field: f for f in REGISTRY}
