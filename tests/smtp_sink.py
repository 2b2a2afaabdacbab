"""A tiny SMTP server for the mail fault tests: it records what it accepted and can refuse or hang on purpose.

`hold` stops answering at one point of the next session ("greeting", "data": after the message's final dot,
before the 250 that accepts it, "quit": after accepting it) until the client goes away; `held` is set when a
session got there. With `refuse` every session is answered "421" at once (the server is down).
"""

import email
import socket
import threading


class SmtpSink:
    def __init__(self):
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))  # a free port from the OS
        self.listener.listen()
        self.port = self.listener.getsockname()[1]
        self.accepted: list[bytes] = []
        self.refusals = 0
        self.refuse = False
        self.hold: str | None = None
        self.held = threading.Event()
        self._lock = threading.Lock()
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def message_ids(self) -> list[str]:
        with self._lock:
            return [email.message_from_bytes(data)["Message-ID"] for data in self.accepted]

    def close(self) -> None:
        self.listener.close()

    def _serve(self) -> None:
        while True:
            try:
                connection, _address = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._session, args=(connection,), daemon=True).start()

    def _hang_if(self, point: str, connection) -> bool:
        if self.hold != point:
            return False
        self.hold = None  # only this session hangs
        self.held.set()
        try:
            while connection.recv(4096):  # until the client is killed (its socket closes)
                pass
        except OSError:
            pass
        return True

    def _session(self, connection) -> None:
        with connection, connection.makefile("rb") as lines:
            if self.refuse:
                self.refusals += 1
                connection.sendall(b"421 sink: service not available, try again later\r\n")
                return
            if self._hang_if("greeting", connection):
                return
            connection.sendall(b"220 sink ESMTP\r\n")
            for line in lines:
                command = line[:4].upper()
                if command == b"EHLO":
                    connection.sendall(b"250-sink\r\n250 8BITMIME\r\n")
                elif command == b"DATA":
                    connection.sendall(b"354 go ahead\r\n")
                    chunks = []
                    while (part := lines.readline()) not in (b".\r\n", b""):
                        chunks.append(part)
                    data = b"".join(chunks)
                    if self._hang_if("data", connection):
                        return  # never acknowledged: not accepted
                    with self._lock:
                        self.accepted.append(data)
                    connection.sendall(b"250 queued\r\n")
                elif command == b"QUIT":
                    if self._hang_if("quit", connection):
                        return
                    connection.sendall(b"221 bye\r\n")
                    return
                elif line == b"":
                    return
                else:  # HELO, MAIL, RCPT, RSET, NOOP
                    connection.sendall(b"250 ok\r\n")
