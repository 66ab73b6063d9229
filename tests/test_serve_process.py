"""``newsearch serve`` as a real waitress process, talked to over raw sockets.

Waitress answers some requests itself, without calling the app: bytes that are not a
URI (400) and a request line over its header limit (431). Those answers must carry the
same security headers as the app's (webapp/server.py). A bad Host header is the app's
400, with no traceback in the server's log. And a server that cannot start says why,
with exit code 2 (an address that is not one) or 3 (one it cannot listen on).
"""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

import pytest

from tests.serving import NEWSEARCH, free_port, raw_request, serving
from webapp.security import HEADERS


@pytest.fixture(scope="module")
def server(corpus_index: Path, tmp_path_factory: pytest.TempPathFactory):
    log = tmp_path_factory.mktemp("serve-log") / "serve.log"
    with serving(corpus_index, log=log) as base:
        yield base, log


def _answer(raw: bytes) -> tuple[int, dict[str, str], bytes]:
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, body


def _request(target: bytes, host: bytes = b"127.0.0.1") -> bytes:
    return b"GET " + target + b" HTTP/1.1\r\nHost: " + host + b"\r\nConnection: close\r\n\r\n"


@pytest.mark.parametrize(("raw", "status"), [
    (_request(b"/\xff\xfe%%zz"), 400),
    (_request(b"/?q=" + b"a" * 1_000_000), 431),
    (_request(b"/", host=b".."), 400),
    (_request(b"/static/style.css", host=b"x" * 300), 400),
    (_request(b"/no-such-page"), 404),
    (_request(b"/?q=missile"), 200),
])
def test_every_response_carries_the_security_headers(server, raw: bytes, status: int) -> None:
    base, _ = server
    got, headers, body = _answer(raw_request(base, raw))
    assert got == status, body[:300]
    missing = {k for k, v in HEADERS.items() if headers.get(k) != v}
    assert not missing, f"{status} without {missing}"


def test_a_bad_host_logs_no_traceback(server) -> None:
    base, log = server
    _, _, body = _answer(raw_request(base, _request(b"/?q=missile", host=b"..")))
    assert b"Host header" in body and b"Traceback" not in body
    assert "Traceback" not in log.read_text(errors="replace")


def test_feed_links_are_the_served_address_whatever_the_host(server) -> None:
    base, _ = server
    status, _, body = _answer(raw_request(base, _request(b"/feed.atom?q=missile",
                                                          host=b"evil.example")))
    assert status == 200 and b"evil.example" not in body
    assert f"<id>{base}/feed.atom?q=missile</id>".encode() in body


def _serve_fails(index: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(NEWSEARCH), "serve", "--index", str(index), *args],
                          capture_output=True, text=True, timeout=120)


def test_a_port_in_use_is_a_clear_message_and_exit_3(corpus_index: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", free_port()))
        taken.listen()
        port = taken.getsockname()[1]
        done = _serve_fails(corpus_index, "--port", str(port))
    assert done.returncode == 3
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "another program uses this port" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


@pytest.mark.parametrize("host", ["256.1.1.1", "no such host", "1.2.3.4.5"])
def test_an_address_that_is_not_one_is_exit_2(corpus_index: Path, host: str) -> None:
    done = _serve_fails(corpus_index, "--host", host, "--port", str(free_port()))
    assert done.returncode == 2, done.stderr
    assert f"cannot serve on {host!r}" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_a_malformed_public_url_is_exit_2(corpus_index: Path) -> None:
    done = _serve_fails(corpus_index, "--public-url", "news.example.org")
    assert done.returncode == 2 and "--public-url" in done.stderr
    assert "Traceback" not in done.stderr
