"""Running the explorer: one loaded app, served by one process or several forked from it.

The app (with its pledge index) is built once, in the process the user started; the listening
socket is opened there too; then ``workers - 1`` copies are forked. Each copy starts with the
loaded app in memory (shared copy-on-write with the others), so more workers add no start-up
time, and the kernel spreads the connections over the processes accepting on the one socket.
Ctrl-C or SIGTERM stops the parent, which stops the copies. Where ``fork`` does not exist
(Windows) one process serves.
"""

from __future__ import annotations

import gc
import json
import os
import signal
import socket
import sys
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol


class JsonErrorsProtocol(H11Protocol):
    """uvicorn's HTTP protocol, answering a request it cannot parse (a request line or headers
    too large, malformed bytes) in the API's one JSON error shape instead of plain text."""

    def send_400_response(self, msg: str) -> None:
        body = json.dumps({"error": {"status": 400, "code": "malformed_request",
                                     "message": msg, "field": None}}).encode()
        headers = [(b"content-type", b"application/json"), (b"connection", b"close")]
        for event in (h11.Response(status_code=400, headers=headers, reason=b"Bad Request"),
                      h11.Data(data=body), h11.EndOfMessage()):
            self.transport.write(self.conn.send(event))
        self.transport.close()


def listen(host: str, port: int) -> socket.socket:
    """The listening socket every worker accepts on."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted connections inherit it: answers leave at once instead of waiting on Nagle's
    # algorithm (the event loop sets it only on sockets it opens itself).
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    sock.setblocking(False)
    return sock


def run(app: Any, host: str, port: int, workers: int = 1) -> None:
    """Serve ``app`` on ``host:port`` with ``workers`` processes until interrupted."""
    sock = listen(host, port)
    config = uvicorn.Config(app, log_level="warning", backlog=2048, timeout_keep_alive=5,
                            http=JsonErrorsProtocol)
    # The loaded pledges are hundreds of thousands of long-lived objects: keep the garbage
    # collector from walking them again and again under load (pauses of a second at p99),
    # and leave the pages they sit on shared between the forked workers.
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)
    children: list[int] = []
    if workers > 1 and hasattr(os, "fork"):
        for _ in range(workers - 1):
            pid = os.fork()
            if pid == 0:  # a worker: serve until the parent stops it
                signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
                uvicorn.Server(config).run(sockets=[sock])
                os._exit(0)
            children.append(pid)

    def stop(number: int, frame: Any) -> None:
        # uvicorn shuts down gracefully on SIGINT/SIGTERM and then raises the signal again
        # with the handler it found, this one: the copies are stopped before the parent exits.
        _stop(children)
        raise SystemExit(128 + number)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        _stop(children)
        sock.close()
        sys.stdout.flush()


def _stop(children: list[int]) -> None:
    """Stop the forked copies and wait for them."""
    while children:
        pid = children.pop()
        try:
            os.kill(pid, signal.SIGTERM)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            continue
