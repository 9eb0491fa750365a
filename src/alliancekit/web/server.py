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
import os
import signal
import socket
import sys
from typing import Any

import uvicorn


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
    config = uvicorn.Config(app, log_level="warning", backlog=2048, timeout_keep_alive=5)
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
