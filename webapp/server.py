"""``newsearch serve``: the app under waitress, with the security headers on waitress's
own error responses too.

Waitress answers some requests without calling the app at all: a request line with bytes
that are not a URI (400), headers or a query string over its limits (431), a body too big
(413), or a crash inside waitress (500). It writes those in ``waitress.task.ErrorTask``,
which no WSGI middleware sees, and waitress has no setting for their headers. Its
sanctioned extension points are class attributes: a channel's ``error_task_class`` and a
server's ``channel_class``; the server subclass is set through ``create_server``'s
``map`` of the servers it made, so waitress still parses every listen option itself.
"""

from __future__ import annotations

from flask import Flask
from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer, MultiSocketServer, create_server
from waitress.task import ErrorTask

from webapp.security import HEADERS


class SecureErrorTask(ErrorTask):
    """Waitress's error response, with HEADERS added before it is written."""

    def execute(self) -> None:
        self.response_headers.extend(HEADERS.items())
        super().execute()


class SecureChannel(HTTPChannel):
    error_task_class = SecureErrorTask


def make_server(app: Flask, host: str, port: int,
                threads: int) -> BaseWSGIServer | MultiSocketServer:
    """A bound, not yet running waitress server (``.run()`` serves until Ctrl-C).

    Raises OSError when the address cannot be bound (in use, not this machine's) and
    ValueError when waitress cannot read host or port.
    """
    servers: dict = {}
    server = create_server(app, map=servers, host=host, port=port, threads=threads,
                           ident="newsearch")
    for dispatcher in servers.values():
        if isinstance(dispatcher, BaseWSGIServer):
            dispatcher.channel_class = SecureChannel
    return server
