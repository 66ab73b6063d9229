"""Under CI=true an OpenSearch test that skips is a failure (tests/opensearch_node.py).

Each case runs a small test file in a separate pytest process with the real plugin, with
and without CI=true, and reads the outcome counts a user would see.
"""

from __future__ import annotations

import pytest

from tests.conftest import REPO

pytest_plugins = ["pytester"]

SKIPPING_TESTS = """
import pytest

@pytest.fixture
def opensearch_url():
    pytest.skip("no node here")

@pytest.mark.opensearch
def test_marked_skip():
    pytest.skip("no Java")

def test_uses_node(opensearch_url):
    pass

def test_other_skip():
    pytest.skip("unrelated")

@pytest.mark.opensearch
@pytest.mark.xfail(reason="known")
def test_marked_xfail():
    assert False

@pytest.mark.opensearch
def test_marked_pass():
    pass
"""


def run(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, ci: str | None):
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    pytester.makepyfile(test_sample=SKIPPING_TESTS)
    return pytester.runpytest_subprocess("-p", "tests.opensearch_node", "-rA")


def test_under_ci_a_skipped_opensearch_test_fails(pytester, monkeypatch) -> None:
    result = run(pytester, monkeypatch, "true")
    # The marked skip fails, the test whose node fixture skipped errors (setup), the
    # unrelated skip stays a skip, and an expected failure stays expected.
    result.assert_outcomes(passed=1, failed=1, errors=1, skipped=1, xfailed=1)
    for test, reason in (("test_marked_skip", "no Java"), ("test_uses_node", "no node here")):
        result.stdout.fnmatch_lines(
            [f"*{test}*an OpenSearch test may not be skipped under CI=true*{reason}*"])


@pytest.mark.parametrize("ci", [None, "false"])
def test_outside_ci_an_opensearch_test_may_skip(pytester, monkeypatch, ci) -> None:
    result = run(pytester, monkeypatch, ci)
    result.assert_outcomes(passed=1, skipped=3, xfailed=1)
