"""A minimal SMTP server on 127.0.0.1 for the tests: accepts (or refuses) and keeps messages."""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Mailbox:
    messages: list[tuple[str, list[str], bytes]] = field(default_factory=list)  # from, to, data
    logins: list[str] = field(default_factory=list)
    refuse_with: str = ""  # e.g. "550 no such user": the answer to RCPT TO


class _Session(socketserver.StreamRequestHandler):
    server: _Server

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        box = self.server.box
        sender, recipients = "", []
        self.reply("220 test ESMTP")
        while line := self.rfile.readline():
            command = line.decode().rstrip("\r\n")
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250-test")
                self.reply("250 AUTH PLAIN")
            elif verb == "AUTH":
                box.logins.append(command)
                self.reply("235 ok")
            elif verb == "MAIL":
                sender = command.split(":", 1)[1].strip()
                self.reply("250 ok")
            elif verb == "RCPT":
                if box.refuse_with:
                    self.reply(box.refuse_with)
                    continue
                recipients.append(command.split(":", 1)[1].strip())
                self.reply("250 ok")
            elif verb == "DATA":
                self.reply("354 go on")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk
                box.messages.append((sender, recipients, data))
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    box: Mailbox


@contextmanager
def smtp_server() -> Iterator[tuple[str, Mailbox]]:
    server = _Server(("127.0.0.1", 0), _Session)
    server.box = Mailbox()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}", server.box
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
