"""A real SMTP server on loopback (aiosmtpd) for the delivery tests, with switches to make it
misbehave the ways real servers do: refuse a while (451), refuse a recipient (550), accept
then hang up, or not listen at all.

Use it from a test module with ``from smtp_server import smtp_server`` (the fixture), and
point the app at it with ``smtp_config(server)``.
"""

from __future__ import annotations

import asyncio
import email
import socket
import threading
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    """A TCP port nothing listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Received:
    """One accepted message: the envelope and the parsed email."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.data, policy=policy.default)


@dataclass
class RecordingHandler:
    """An aiosmtpd handler that stores what it accepts and misbehaves on request."""

    received: list[Received] = field(default_factory=list)
    temporary_failures: int = 0  # answer 451 to DATA this many times, then accept
    refused: set[str] = field(default_factory=set)  # answer 550 to RCPT TO for these
    hang_up_after_accept: bool = False  # 250 to DATA, then drop the connection
    # Hold the next ``hold_data`` messages once their data has arrived, before answering,
    # until ``release`` is set; ``holding`` is set while one is held. A held message whose
    # client hung up meanwhile is kept when ``keep_when_client_left`` (like a server that
    # commits before it answers), else dropped (it never answered, so never took it on).
    hold_data: int = 0
    keep_when_client_left: bool = False
    holding: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refused:
            return f"550 5.1.1 <{address}>: mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.hold_data > 0:
            self.hold_data -= 1
            if self.keep_when_client_left:
                self._store(envelope)  # committed before answering, whatever happens next
            self.holding.set()
            while not self.release.is_set():  # cancelled if the client's connection is lost
                await asyncio.sleep(0.05)
            self.holding.clear()
            if self.keep_when_client_left:
                return "250 2.0.0 Message accepted"
            if server.transport is None or server.transport.is_closing():
                return "451 4.4.2 Client gone before the answer"
        with self.lock:
            if self.temporary_failures > 0:
                self.temporary_failures -= 1
                return "451 4.3.0 Temporary local problem, try again later"
            self.received.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content))
            )
        if self.hang_up_after_accept:
            # Runs after the 250 is written: the client's QUIT then meets a closed socket.
            asyncio.get_running_loop().call_soon(server.transport.close)
        return "250 2.0.0 Message accepted"

    def _store(self, envelope) -> None:
        with self.lock:
            self.received.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content))
            )


class SmtpServer:
    """An aiosmtpd server on 127.0.0.1 that can be stopped and started on the same port."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.handler = RecordingHandler()
        self._controller: Controller | None = None

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    @property
    def running(self) -> bool:
        return self._controller is not None

    def start(self) -> SmtpServer:
        if self._controller is None:
            self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
            self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def recipients(self) -> list[str]:
        """Every recipient of every accepted message, in order."""
        return [rcpt for message in self.received for rcpt in message.rcpt_tos]


def smtp_config(server: SmtpServer) -> dict:
    """App config that sends through ``server``."""
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": server.port, "MAIL_TIMEOUT": 5}


@pytest.fixture
def smtp_server():
    """A running loopback SMTP server, stopped after the test."""
    server = SmtpServer().start()
    yield server
    server.stop()
