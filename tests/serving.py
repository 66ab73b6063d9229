"""Real ``newsearch serve`` processes for the tests that talk HTTP to waitress itself."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

NEWSEARCH = Path(sys.executable).parent / "newsearch"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving(index: Path, *args: str, newsearch: Path = NEWSEARCH, cwd: Path | None = None,
            log: Path | None = None) -> Iterator[str]:
    """Run ``newsearch serve`` on a free port until the block ends; yield its base URL.

    The server's output goes to ``log`` when given (to read what it logged), else a pipe.
    """
    port = free_port()
    out = log.open("wb") if log else subprocess.PIPE
    proc = subprocess.Popen([str(newsearch), "serve", "--index", str(index), "--port",
                             str(port), *args], stdout=out, stderr=subprocess.STDOUT, cwd=cwd)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/static/style.css", timeout=2).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    output = (log.read_text(errors="replace") if log else
                              proc.stdout.read().decode(errors="replace"))
                    pytest.fail(f"newsearch serve did not start: {output}")
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if log:
            out.close()


def raw_request(base: str, data: bytes) -> bytes:
    """Send ``data`` as-is on a new connection and return all the server answered.

    Reads while sending: waitress answers an oversized request before it has all of it
    and then closes, so a client that only reads after sending loses the answer.
    """
    import threading

    host, port = base.removeprefix("http://").rsplit(":", 1)
    sock = socket.create_connection((host, int(port)), timeout=30)

    def send() -> None:
        try:
            sock.sendall(data)
        except OSError:  # the server closed mid-request: its answer is what counts
            pass

    sender = threading.Thread(target=send)
    sender.start()
    answer = b""
    try:
        while chunk := sock.recv(65536):
            answer += chunk
    except ConnectionResetError:  # the reset after a complete error response
        pass
    finally:
        sender.join()
        sock.close()
    return answer
