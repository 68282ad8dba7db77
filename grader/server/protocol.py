"""Messages on the server's socket, each a 4-byte length then that many bytes of JSON: the request;
``TAKEN`` as soon as the server reads it; then its answer."""

from __future__ import annotations

import json
import socket
import struct
from typing import Any

from .address import MAX_REQUEST


TAKEN = {"taken": True}
TAKEN_SECONDS = 0.5  # a server that has not taken a request by then is busy or stuck: grade without it


class ProtocolError(Exception):
    """The other side sent no message, a truncated one, or one too long."""


def send(sock: socket.socket, message: Any) -> None:
    data = json.dumps(message).encode()
    sock.sendall(struct.pack(">I", len(data)) + data)


def receive(sock: socket.socket, limit: int = MAX_REQUEST) -> Any:
    size = struct.unpack(">I", _exactly(sock, 4))[0]
    if size > limit:
        raise ProtocolError(f"a message of {size} bytes")
    try:
        return json.loads(_exactly(sock, size))
    except ValueError as exc:
        raise ProtocolError(str(exc)) from None


def _exactly(sock: socket.socket, n: int) -> bytes:
    chunks, left = [], n
    while left:
        chunk = sock.recv(min(left, 1 << 16))
        if not chunk:
            raise ProtocolError("the connection closed")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
