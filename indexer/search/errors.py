"""Failures every engine reports the same way, whatever raised them underneath.

The CLI maps them to exit codes (QueryError 2; IndexMissing, IndexBusy and
EngineUnavailable 3) and the web app to statuses (400; 503), so a user sees one message
for one problem on either engine.
"""

from __future__ import annotations


class EngineUnavailable(Exception):
    """The search server cannot be reached (or stopped answering mid-run)."""


class IndexMissing(Exception):
    """No usable index at the location; the message says how to build one."""


class IndexBusy(Exception):
    """Another process is writing to the index."""


class IndexWriteFailed(Exception):
    """Writing the index failed (full disk, I/O error); the previous index is intact."""
