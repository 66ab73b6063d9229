"""pytest plugin: a real OpenSearch node for the tests that need one (``opensearch_url``).

The node comes from ``tools/opensearch.py``, the same code as ``make opensearch``. A node
already answering on 127.0.0.1:9200 is reused and left running; otherwise the session starts
one and stops it at the end. Every test that uses ``opensearch_url`` is marked ``opensearch``,
and under ``CI=true`` such a test may not skip: a skip there means CI did not test the
engine at all, so it is reported as a failure instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tools import opensearch

MARKER = "opensearch"
FIXTURE = "opensearch_url"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


@pytest.fixture(scope="session")
def opensearch_url() -> Iterator[str]:
    """The URL of a running OpenSearch node: the one on 9200, or one started for the session;
    NEWSEARCH_TEST_OPENSEARCH names other hosts instead (``make test-sharded``)."""
    if given := os.environ.get("NEWSEARCH_TEST_OPENSEARCH"):
        yield given
        return
    url = opensearch.SINGLE[0].url
    if opensearch.opensearch_version(url):
        yield url
        return
    try:
        started = opensearch.start()
    except opensearch.MissingPrerequisite as exc:
        pytest.skip(f"cannot run OpenSearch here: {exc}")
    try:
        yield url
    finally:
        with opensearch.locked():
            opensearch.stop_nodes(started)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that asks for a node, so the CI rule below cannot be forgotten."""
    for item in items:
        if FIXTURE in getattr(item, "fixturenames", ()):
            item.add_marker(MARKER)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """Under CI=true, turn the skip of an ``opensearch`` test into a failure."""
    outcome = yield
    report = outcome.get_result()
    if (in_ci() and report.skipped and not hasattr(report, "wasxfail")
            and item.get_closest_marker(MARKER) is not None):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"an OpenSearch test may not be skipped under CI=true: {reason}"
