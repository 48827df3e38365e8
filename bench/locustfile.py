"""A clinic network's busy hour for Locust: 200 GPs, 6 radiologists and 2 secretaries, each
starting from a session `bench/load.py` prepared (no login through the rate limit), with the
think times of people at work.

Run by `make load` (bench/load.py), which writes the plan this file reads (LOAD_PLAN: a JSON file
of session cookies and of the referrals each user works on) and checks the figures. It imports
nothing from the project: Locust may run in an interpreter of its own.

Every request is named by what it is (« GP: home page », « PDF: indication report »): the p95
targets are per name. A page that answers anything but what is expected is a failure."""

from __future__ import annotations

import itertools
import json
import os
import re
import secrets
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

from locust import HttpUser, between, events, task
from locust.exception import StopUser

with open(os.environ["LOAD_PLAN"], encoding="utf-8") as plan_file:
    PLAN: dict[str, Any] = json.load(plan_file)
MAX_REQUESTS = int(PLAN["max_requests"])
_count = itertools.count(1)
_environment: Any = None


@events.init.add_listener
def _keep(environment: Any, **_: Any) -> None:
    global _environment
    _environment = environment


@events.request.add_listener
def _bound(**_: Any) -> None:
    """Stop the run after MAX_REQUESTS requests, whatever the time left."""
    if next(_count) == MAX_REQUESTS and _environment is not None and _environment.runner:
        _environment.runner.quit()


Fields = list[tuple[str, str]]


class FormReader(HTMLParser):
    """The fields a browser would post from the form whose action is `action`: hidden and text
    inputs with their values, checked boxes and radios, each select's selected (or first) option,
    textareas."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._select_value: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            posted = a.get("method", "get").lower() == "post"
            self.inside = posted and a.get("action", "") == self.action
            return
        if not self.inside:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields.append((name, a.get("value", "on")))
            elif kind not in ("submit", "button", "file"):
                self.fields.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select, self._select_value, self._first_option = name, None, None
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in a:
                self._select_value = value
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields.append((name, ""))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None and data.strip():
            self.fields[-1] = (self._textarea, data.strip())

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select is not None:
            value = self._select_value if self._select_value is not None else self._first_option
            self.fields.append((self._select, value or ""))
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_fields(html: str, action: str) -> list[tuple[str, str]]:
    reader = FormReader(action)
    reader.feed(html)
    return reader.fields


class Person(HttpUser):
    """One of the plan's users: its session cookie and CSRF secret, sent as headers (the session
    cookie is Secure with DEBUG off, and the run is plain HTTP on 127.0.0.1)."""

    abstract = True
    role = ""
    _numbers: dict[str, Iterator[int]] = {}

    def on_start(self) -> None:
        people = PLAN[self.role]
        number = next(Person._numbers.setdefault(self.role, itertools.count()))
        if number >= len(people):
            raise StopUser()
        self.me: dict[str, Any] = people[number]
        self.csrf = secrets.token_hex(16)  # a 32-character secret, as Django's cookie holds
        cookie = f"{PLAN['session_cookie']}={self.me['cookie']}; csrftoken={self.csrf}"
        self.headers = {"Cookie": cookie}
        self.post_headers = {**self.headers, "X-CSRFToken": self.csrf}
        # People do not all start at the same second: a first think time before the first page
        # (else 200 GPs open their home page within the spawn's 20 seconds).
        self.wait()

    def page(self, url: str, name: str, *, expect: bytes = b"</html>") -> str:
        with self.client.get(url, headers=self.headers, name=name, catch_response=True) as answer:
            if answer.status_code != 200 or expect not in answer.content:
                answer.failure(f"{answer.status_code}, {len(answer.content)} bytes")
                return ""
            return answer.text

    def pdf(self, url: str, name: str) -> None:
        with self.client.get(url, headers=self.headers, name=name, catch_response=True) as answer:
            if answer.status_code != 200 or not answer.content.startswith(b"%PDF"):
                answer.failure(f"{answer.status_code}, not a PDF")

    def post(
        self,
        url: str,
        data: list[tuple[str, str]] | dict[str, str],
        name: str,
        *,
        ok: tuple[int, ...],
    ) -> Any:
        with self.client.post(
            url, data=data, headers=self.post_headers, name=name, catch_response=True,
            allow_redirects=False,
        ) as answer:  # fmt: skip
            if answer.status_code not in ok:
                answer.failure(f"{answer.status_code}")
            return answer

    def take(self, key: str) -> Any:
        """The next item of the user's own list (None when used up)."""
        items = self.me[key]
        return items.pop(0) if items else None

    def pick(self, key: str) -> Any:
        items = self.me[key]
        return items[self.environment.runner.user_count % len(items)] if items else None


class GP(Person):
    """A GP between consultations: reads their list and their referrals, downloads a letter,
    fills a referral (the live verdict at each change) and sends it."""

    role = "gps"
    fixed_count = 200
    wait_time = between(20, 90)

    @task(6)
    def home(self) -> None:
        self.page("/medecin/", "GP: home page")

    @task(4)
    def referral(self) -> None:
        pk = self.pick("referrals")
        if pk:
            self.page(f"/medecin/demandes/{pk}/", "GP: referral page")

    @task(1)
    def letter(self) -> None:
        pk = self.pick("letters")
        if pk:
            self.pdf(f"/documents/decisions/{pk}/courrier/", "PDF: decision letter (GP)")

    @task(2)
    def submit(self) -> None:
        form = self.take("forms")
        if form is None:
            return
        self.page("/medecin/demandes/nouvelle/", "GP: new referral form")
        preview = {k: v for k, v in form.items() if k != "action"}
        for verdict in ("", "incomplete", "eligible_ideal"):
            self.post(
                "/medecin/demandes/apercu/",
                {**preview, "shown_verdict": verdict},
                "GP: live verdict (htmx)",
                ok=(200,),
            )
        answer = self.post("/medecin/demandes/nouvelle/", form, "GP: submit a referral", ok=(302,))
        location = answer.headers.get("Location", "")
        if answer.status_code == 302 and "/medecin/demandes/" in location:
            self.page(location, "GP: referral page")


class Radiologist(Person):
    """A radiologist working through the worklist: opens a referral, reads the findings, decides
    (accept when the engine says eligible, decline otherwise), prints an indication report."""

    role = "radiologists"
    fixed_count = 6
    wait_time = between(5, 25)

    @task(5)
    def worklist(self) -> None:
        self.page("/radiologie/", "Radiologist: worklist")

    @task(2)
    def filtered(self) -> None:
        self.page(
            "/radiologie/?status=done&verdict=eligible&level=L1",
            "Radiologist: worklist, history filtered",
        )

    @task(3)
    def decide(self) -> None:
        item = self.take("to_decide")
        if item is None:
            return
        pk, accept = item
        url = f"/radiologie/demandes/{pk}/"
        self.page(url, "Radiologist: referral page")
        kind = "accept" if accept else "decline"
        action = f"{url}{'accepter' if accept else 'refuser'}/"
        # The decision's own page: its form posts to itself (no action attribute).
        html = self.page(action, f"Radiologist: {kind} form")
        fields = [(name, value or _words(name)) for name, value in form_fields(html, "")]
        if accept and not any(name == "levels_to_treat" for name, _value in fields):
            # The engine today no longer retains the levels (a fracture that crossed into its
            # semi-recent window since the plan was drawn): the radiologist ticks them and
            # justifies the decision, as the form asks.
            fields += [("levels_to_treat", level) for level in LEVEL_INPUT.findall(html)]
        if fields:
            self.post(action, fields, f"Radiologist: {kind}", ok=(302,))

    @task(1)
    def report(self) -> None:
        pk = self.pick("reports")
        if pk:
            self.pdf(f"/documents/demandes/{pk}/rapport-indication/", "PDF: indication report")


def _words(name: str) -> str:
    """Text for an empty field of a decision form (a reason, a message, a justification)."""
    if name in ("reason", "message_to_gp", "justification"):  # not plan_reason: the plan is kept
        return "Vu en staff ce jour."
    return ""


LEVEL_INPUT = re.compile(r'name="levels_to_treat" value="([^"]+)"')
CONVOCATION = re.compile(rb"/rendez-vous/\d+/convocation\.pdf")
SESSION_INPUT = re.compile(rb'<input[^>]*name="session"[^>]*>')
SESSION_VALUE = re.compile(rb'value="(\d+)"')


class Secretary(Person):
    """A secretary at the desk: the home page, the day, the sessions; books an accepted referral
    (the first session the booking page offers) and prints its convocation."""

    role = "secretaries"
    fixed_count = 2
    wait_time = between(5, 25)

    @task(4)
    def home(self) -> None:
        self.page("/secretariat/", "Secretary: home page")

    @task(2)
    def day(self) -> None:
        self.page(f"/secretariat/journee/?date={self.me['day']}", "Secretary: day view")

    @task(1)
    def sessions(self) -> None:
        self.page("/secretariat/seances/", "Secretary: sessions list")

    @task(3)
    def book(self) -> None:
        pk = self.take("to_book")
        if pk is None:
            return
        self.page(f"/secretariat/demandes/{pk}/", "Secretary: referral page")
        url = f"/secretariat/demandes/{pk}/programmer/"
        html = self.page(url, "Secretary: booking page")
        inputs = [tag for tag in SESSION_INPUT.findall(html.encode()) if b"disabled" not in tag]
        found = SESSION_VALUE.search(inputs[0]) if inputs else None
        if found is None:
            return
        data = {"session": found.group(1).decode(), "confirm_outside_ideal": "on",
                "contact_channel": "none", "late_cause": "no_room"}  # fmt: skip
        answer = self.post(url, data, "Secretary: book", ok=(200, 302))
        if answer.status_code == 302:
            html = self.page(answer.headers["Location"], "Secretary: referral page")
            found = CONVOCATION.search(html.encode())
            if found is not None:
                self.pdf(found.group(0).decode(), "PDF: convocation")
