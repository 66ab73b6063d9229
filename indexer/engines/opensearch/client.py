"""Where an OpenSearch index lives, and one client for it.

A location is ``http://HOST:PORT/NAME`` or, for a cluster, ``http://H1:P1,H2:P2/NAME``:
the client spreads requests over every host and retries a failed one on another. Any
connection failure becomes :class:`EngineUnavailable` with the hosts named, so the CLI
exits with code 3 and the web app answers 503, never a traceback.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from opensearchpy import OpenSearch, Transport
from opensearchpy.exceptions import ConnectionError as OSConnectionError
from opensearchpy.exceptions import ConnectionTimeout, TransportError

from indexer.search.errors import EngineUnavailable

T = TypeVar("T")
_LOCATION = re.compile(r"^(https?)://([^/]+)/([^/?#]+)/?$")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")


@dataclass(frozen=True)
class Location:
    """The hosts of a cluster and the name of one index (an alias) on it."""

    scheme: str
    hosts: tuple[tuple[str, int], ...]
    name: str

    @property
    def url(self) -> str:
        return f"{self.scheme}://{','.join(f'{h}:{p}' for h, p in self.hosts)}/{self.name}"


def is_location(text: str) -> bool:
    """Does ``--index`` name an OpenSearch index rather than a folder?"""
    return text.startswith(("http://", "https://"))


def parse_location(text: str) -> Location:
    """``http://h1:9200,h2:9201/news`` -> hosts and index name (ValueError if malformed)."""
    m = _LOCATION.match(text.strip())
    if not m:
        raise ValueError(f"{text!r} is not an OpenSearch location like "
                         "http://127.0.0.1:9200/news")
    scheme, hosts_text, name = m.groups()
    hosts = []
    for part in hosts_text.split(","):
        host, _, port = part.strip().rpartition(":")
        if not host or not port.isdigit():
            raise ValueError(f"{part!r} in {text!r} is not HOST:PORT")
        hosts.append((host, int(port)))
    if not _NAME.match(name):
        raise ValueError(f"{name!r} is not a valid index name (lowercase letters, digits, "
                         "- and _)")
    return Location(scheme, tuple(hosts), name)


#: How long a read keeps retrying while a cluster that lost a node moves its reads to the
#: remaining copies (it notices a dead node within seconds; tests/test_opensearch_faults.py).
SHARD_RETRY_SECONDS = 30.0
_READS = ("/_search", "/_count", "/_msearch")
#: What a coordinating node says when a shard copy's node went away mid-request.
_LOST_NODE = ("disconnected", "node_not_connected", "Node not connected",
              "no_shard_available", "NoShardAvailable", "node_disconnected",
              "connect_transport_exception", "NodeClosed")


def _lost_node(exc: TransportError) -> bool:
    return (isinstance(exc.status_code, int) and exc.status_code >= 500
            and any(word in f"{exc.error} {exc.info}" for word in _LOST_NODE))


def _partial(result: Any) -> bool:
    """Did a read miss shards: a search's own, or any search of an ``_msearch``, whose
    answers carry a lost node's error in the body instead of failing the request."""
    if not isinstance(result, dict):
        return False
    if "responses" in result:
        return any(_partial(answer) or (
            isinstance(answer.get("status"), int) and answer["status"] >= 500
            and any(word in str(answer.get("error")) for word in _LOST_NODE))
            for answer in result["responses"])
    return result.get("_shards", {}).get("failed", 0) > 0


class WholeAnswers(Transport):
    """A read is answered by every shard or not at all.

    OpenSearch answers a search with the shards it could reach (``_shards.failed``), or
    fails it when a node holding a copy vanished mid-request. Either way the counts a user
    sees would be wrong or an error would reach them, although a replica still holds every
    shard. So a read that lost a node or a shard is sent again, for up to
    SHARD_RETRY_SECONDS; after that it fails as unavailable (503), never with partial counts.
    Writes are not repeated here: a bulk of indexed ids is retried by its own helper."""

    def perform_request(self, method: str, url: str, params: Any = None, body: Any = None,
                        timeout: Any = None, ignore: Any = (), headers: Any = None) -> Any:
        if not url.endswith(_READS):
            return super().perform_request(method, url, params=params, body=body,
                                           timeout=timeout, ignore=ignore, headers=headers)
        deadline, pause = time.monotonic() + SHARD_RETRY_SECONDS, 0.2
        while True:
            try:
                result = super().perform_request(method, url, params=params, body=body,
                                                 timeout=timeout, ignore=ignore,
                                                 headers=headers)
                if not _partial(result):
                    return result
                failure: TransportError = TransportError(
                    503, "shards_unavailable", result.get("_shards", {}).get("failures", [])
                    or result.get("responses", []))
            except TransportError as exc:
                if not _lost_node(exc):
                    raise
                failure = exc
            if time.monotonic() + pause > deadline:
                raise TransportError(503, "shards_unavailable", failure.info)
            time.sleep(pause)
            pause = min(2 * pause, 2.0)


def connect(location: Location, timeout: float = 30.0) -> OpenSearch:
    """A client over every host; a failed host is retried on the next one, and a read is
    answered whole (see WholeAnswers)."""
    return OpenSearch(
        hosts=[{"host": h, "port": p, "scheme": location.scheme} for h, p in location.hosts],
        timeout=timeout, max_retries=max(2, len(location.hosts)), retry_on_timeout=True,
        pool_maxsize=32,  # waitress serves requests on several threads at once
        http_compress=False, transport_class=WholeAnswers)


def _reason(exc: Exception) -> str:
    text, fallback = str(exc), type(exc).__name__
    if isinstance(exc, TransportError) and isinstance(exc.status_code, int):
        text = fallback = f"{exc.status_code} {exc.error}"  # the server's answer
    for needle, reason in (("refused", "connection refused"), ("timed out", "timed out"),
                           ("shards_unavailable", "part of the index is on a node that is "
                            "down"),
                           ("503 search_phase_execution_exception", "part of the index is on "
                            "a node that is down"),
                           ("Name or service not known", "unknown host"),
                           ("Temporary failure in name resolution", "unknown host")):
        if needle in text:
            return reason
    return fallback


def unavailable(location: Location, exc: Exception) -> EngineUnavailable:
    hosts = ", ".join(f"{h}:{p}" for h, p in location.hosts)
    reason = _reason(exc)
    return EngineUnavailable(f"cannot reach OpenSearch at {hosts} ({reason}); start it with "
                             "`make opensearch` or check --index")


def guarded(method: Callable[..., T]) -> Callable[..., T]:
    """Turn a lost connection inside an engine method into EngineUnavailable."""
    @functools.wraps(method)
    def call(self, *args: object, **kwargs: object) -> T:
        try:
            return method(self, *args, **kwargs)
        except (OSConnectionError, ConnectionTimeout) as exc:
            raise unavailable(self.location, exc) from None
        except TransportError as exc:
            if exc.status_code in (502, 503, 504) or exc.status_code == "N/A":
                raise unavailable(self.location, exc) from None
            raise
    return call
