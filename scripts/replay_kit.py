"""What scripts/attack_replay.py and scripts/attacks.py share: the replay's state and table of
results, its throwaway databases, and a small HTTP client: one browser behind the TLS proxy, with
its own client address (X-Forwarded-For), cookies, CSRF token and multipart uploads (standard
library only; redirects are not followed, so that a refusal is seen as it is answered)."""

from __future__ import annotations

import http.client
import os
import secrets
import traceback
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path

Fields = dict[str, str] | list[tuple[str, str]]
Upload = tuple[str, str, bytes, str]  # field, file name, contents, content type


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


@dataclass
class Browser:
    """One client of the clinic, reaching gunicorn through the proxy on 127.0.0.1."""

    port: int
    address: str  # the client's own address, as the proxy appends it to X-Forwarded-For
    cookies: dict[str, str] = field(default_factory=dict)

    @property
    def origin(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def request(
        self, method: str, path: str, body: bytes = b"", content_type: str = ""
    ) -> Response:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            # What the TLS proxy adds: the scheme it was reached by and the client's address.
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.address,
            "Origin": self.origin,
            "Referer": f"{self.origin}{path}",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        try:
            connection.request(method, path, body=body or None, headers=headers)
            answer = connection.getresponse()
            response = Response(answer.status, answer.headers, answer.read())
        finally:
            connection.close()
        for line in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(line).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, data: Fields, files: list[Upload] | None = None) -> Response:
        if "csrftoken" not in self.cookies:
            self.get("/connexion/")
        pairs = list(data.items()) if isinstance(data, dict) else list(data)
        pairs.append(("csrfmiddlewaretoken", self.cookies.get("csrftoken", "")))
        if files is None:
            body = urllib.parse.urlencode(pairs).encode()
            return self.request("POST", path, body, "application/x-www-form-urlencoded")
        body, content_type = multipart(pairs, files)
        return self.request("POST", path, body, content_type)

    def declare_and_stall(self, path: str, declared: int, sent: int) -> Response:
        """Announce a body of `declared` bytes, send only `sent`, and read the answer: a server
        that waits for the body before refusing never answers in time."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        try:
            connection.putrequest("POST", path, skip_host=True, skip_accept_encoding=True)
            for name, value in (
                ("Host", f"127.0.0.1:{self.port}"),
                ("X-Forwarded-Proto", "https"),
                ("X-Forwarded-For", self.address),
                ("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items())),
                ("Content-Type", "multipart/form-data; boundary=x"),
                ("Content-Length", str(declared)),
            ):
                connection.putheader(name, value)
            connection.endheaders()
            connection.send(b"%" * sent)
            answer = connection.getresponse()
            return Response(answer.status, answer.headers, answer.read())
        finally:
            connection.close()

    def login(self, username: str, password: str) -> Response:
        self.get("/connexion/")
        return self.post("/connexion/", {"username": username, "password": password})

    @property
    def logged_in(self) -> bool:
        return self.get("/").status in (200, 302) and "sessionid" in self.cookies


def multipart(pairs: list[tuple[str, str]], files: list[Upload]) -> tuple[bytes, str]:
    boundary = secrets.token_hex(16)
    parts = []
    for name, value in pairs:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value.encode()
            + b"\r\n"
        )
    for name, filename, content, content_type in files:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
        )
        parts.append(head.encode() + content + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), (
        f"multipart/form-data; boundary={boundary}"
    )


class FormFields(HTMLParser):
    """The fields a browser would post from the page's form with the given id."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id, self.inside = form_id, False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attributes}
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside or (not a.get("name") and tag != "option"):
            return
        if tag == "input" and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            default = "on" if a.get("type") == "checkbox" else ""
            self.fields.append((a["name"], a.get("value", default)))
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value", "")))
        elif tag == "textarea":
            self._textarea = a["name"]
            self.fields.append((a["name"], ""))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            name, value = self.fields[-1]
            self.fields[-1] = (name, value + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self.inside = False


def form_fields(html: str, form_id: str) -> list[tuple[str, str]]:
    parser = FormFields(form_id)
    parser.feed(html)
    return [(k, v) for k, v in parser.fields if k != "csrfmiddlewaretoken"]


ROOT = Path(__file__).resolve().parents[1]
SERVER = os.environ.get("REPLAY_POSTGRES", "postgres://postgres@127.0.0.1:5432").rstrip("/")
PASSWORD = "correct-horse-battery-staple"  # tests/factories.py's, every account of the run


@dataclass
class Row:
    finding: str
    attack: str
    result: str
    refused: bool


class Replay:
    """The accounts, the server's port and the table of results."""

    def __init__(self, port: int, media: Path) -> None:
        self.port, self.media = port, media
        self.rows: list[Row] = []
        self.keys: dict[str, str] = {}  # staff's TOTP keys, by username
        self.referral_pk = 0  # GP A's referral (finding 1), which others then try to reach
        self.admin: Browser | None = None  # the administrator's verified session
        self._address = 0

    def browser(self) -> Browser:
        self._address += 1  # each client its own address, as the proxy reports it
        return Browser(self.port, f"198.51.100.{self._address}")

    def check(self, finding: str, attack: str, run: Callable[[], tuple[bool, str]]) -> None:
        try:
            refused, result = run()
        except Exception as error:  # a crash of the check is a failure, not a refusal
            traceback.print_exc()
            refused, result = False, f"check crashed: {error!r}"
        self.rows.append(Row(finding, attack, result, refused))
        print(f"{'ok  ' if refused else 'FAIL'} {finding:>3} {attack}: {result}", flush=True)

    def staff(self, username: str) -> Browser:
        """A staff member logged in with their password and their TOTP code."""
        from django_otp.oath import totp

        client = self.browser()
        assert client.login(username, PASSWORD).status == 302, f"{username} cannot log in"
        code = f"{totp(bytes.fromhex(self.keys[username])):06d}"
        assert client.post("/compte/code/", {"token": code}).status == 302, f"{username}: TOTP"
        return client

    def verified_admin(self) -> Browser:
        assert self.admin is not None, "finding 2 opens the administrator's session"
        return self.admin

    def gp(self, username: str) -> Browser:
        client = self.browser()
        assert client.login(username, PASSWORD).status == 302, f"{username} cannot log in"
        return client


@contextmanager
def throwaway_database(name: str) -> Iterator[str]:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{SERVER}/{name}"
    finally:
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
