"""A minimal client that walks FaceRights like a browser: the wizard, "Continue a request", the
follow-up letters and the complaint.

Used by the benchmarks and by tests that check what a real server does. It keeps cookies, submits
each page's own form (with its CSRF token and the values the page fills in) and goes where the
server's redirect says: the order of the questions is the app's, not this file's. A page it has no
answer for stops it with an AssertionError naming the page, so a change in the app breaks the
benchmarks loudly instead of measuring something else.

Two transports: WizardClient speaks HTTP to a running server; InProcessClient sends the same
requests to a Flask app through its test client (no network, for in-process timings).
"""
from __future__ import annotations

import http.client
import re
import ssl
import time
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

Fields = list[tuple[str, str]]


@dataclass
class Reply:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    seconds: float = 0.0  # from sending the request to the last byte of the answer

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def header(self, name: str) -> str | None:
        return next((value for key, value in self.headers if key.lower() == name.lower()), None)

    @property
    def location(self) -> str:
        """The path a redirect leads to, without host or query."""
        return urlsplit(self.header("Location") or "").path


class _FormReader(HTMLParser):
    """The fields a browser would send from a page's question form, as the page fills them in."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[dict, Fields]] = []
        self._fields: Fields | None = None
        self._select: str | None = None
        self._first_option: tuple[str, str] | None = None
        self._selected = False
        self._textarea: str | None = None

    def handle_starttag(self, tag, attributes):
        attrs = {name: value if value is not None else "" for name, value in attributes}
        if tag == "form":
            self._fields = []
            self.forms.append((attrs, self._fields))
        elif self._fields is None:
            return
        elif tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("file", "submit", "button"):
                self._fields.append((attrs["name"], attrs.get("value", "")))
        elif tag == "select":
            self._select, self._first_option, self._selected = attrs.get("name"), None, False
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            self._first_option = self._first_option or (self._select, value)
            if "selected" in attrs:
                self._fields.append((self._select, value))
                self._selected = True
        elif tag == "textarea" and attrs.get("name"):
            self._textarea = attrs["name"]
            self._fields.append((self._textarea, ""))

    def handle_data(self, data):
        if self._textarea and self._fields:
            name, value = self._fields[-1]
            self._fields[-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._fields = None
        elif tag == "select" and self._select:
            if not self._selected and self._first_option:
                self._fields.append(self._first_option)
            self._select = None
        elif tag == "textarea":
            if self._textarea and self._fields:
                name, value = self._fields[-1]
                self._fields[-1] = (name, value.removeprefix("\n"))  # as browsers read a textarea
            self._textarea = None


def page_form(html: str, path: str) -> Fields:
    """The question form's fields (id "question-form", else the first form that posts), as filled in."""
    reader = _FormReader()
    reader.feed(html)
    posting = [(attrs, fields) for attrs, fields in reader.forms if attrs.get("method", "get").lower() == "post"]
    chosen = next((fields for attrs, fields in posting if attrs.get("id") == "question-form"),
                  posting[0][1] if posting else None)
    if chosen is None:
        raise AssertionError(f"GET {path}: no form to submit")
    return chosen


def with_changes(fields: Fields, changes: dict) -> Fields:
    """The page's fields with ``changes`` (name: text, or a list for several values) in place of its own."""
    kept = [(name, value) for name, value in fields if name not in changes]
    for name, value in changes.items():
        kept += [(name, item) for item in value] if isinstance(value, (list, tuple)) else [(name, value)]
    return kept


def multipart(fields: Fields, files: dict[str, tuple[str, str, bytes]]) -> tuple[bytes, str]:
    """A multipart/form-data body: ``files`` maps a field to (file name, content type, bytes)."""
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
             for name, value in fields]
    for name, (filename, content_type, data) in files.items():
        parts.append((f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                      f"Content-Type: {content_type}\r\n\r\n").encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def wizard_answers(person: dict, request_type: str, companies: list[str], reason: str, language: str,
                   channels: tuple[str, ...] | None, other_company: dict | None) -> dict[str, dict]:
    """What to answer on each question page, by its path (a page the app does not ask is never used)."""
    grounds = ["unlawful-biometric"] + (["objection"] if reason else [])
    answers = {
        "/request-type": {"request_type": request_type},
        "/company": {"company": companies},
        "/your-details": person,
        "/letter-language": {"letter_language": language},
        "/erasure-grounds": {"grounds": grounds},
        "/objection-reason": {"objection_reason": reason},
        "/recollection": {"suppression": "addresses"},
    }
    # None: every way the page offers (the page ticks none by default, so the offered ones are read from it).
    answers["/sending"] = {"channels": list(channels)} if channels is not None else {}
    if other_company:
        answers["/other-company"] = other_company
    return answers


@dataclass
class WizardClient:
    host: str
    port: int
    timeout: float = 30
    cookies: dict[str, str] = field(default_factory=dict)
    replies: list[Reply] = field(default_factory=list)  # every reply, for inspection
    ssl_context: ssl.SSLContext | None = None  # HTTPS when given
    source_address: str | None = None  # e.g. "127.0.0.2": the address the server sees
    headers: dict[str, str] = field(default_factory=dict)  # sent with every request
    asked: list[str] = field(default_factory=list)  # every question page answered, in order
    request_log: list[str] = field(default_factory=list)  # "GET /", "POST /request-type"... as replies

    # --- transport ---------------------------------------------------------------------------------

    def connect(self) -> http.client.HTTPConnection:
        source = (self.source_address, 0) if self.source_address else None
        if self.ssl_context:
            return http.client.HTTPSConnection(self.host, self.port, timeout=self.timeout, context=self.ssl_context,
                                               source_address=source)
        return http.client.HTTPConnection(self.host, self.port, timeout=self.timeout, source_address=source)

    def send(self, method: str, path: str, body: bytes | None, headers: dict[str, str]) -> Reply:
        connection = self.connect()
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return Reply(response.status, response.getheaders(), response.read(), time.perf_counter() - started)
        finally:
            connection.close()

    def request(self, method: str, path: str, body: bytes | None = None, content_type: str | None = None) -> Reply:
        headers = {"Accept-Language": "en", **self.headers}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        reply = self.send(method, path, body, headers)
        self.request_log.append(f"{method} {path}")
        for name, value in reply.headers:
            if name.lower() == "set-cookie":
                for morsel in SimpleCookie(value).values():
                    if morsel.value and morsel["max-age"] != "0":
                        self.cookies[morsel.key] = morsel.value
                    else:
                        self.cookies.pop(morsel.key, None)
        self.replies.append(reply)
        return reply

    # --- pages and forms ---------------------------------------------------------------------------

    def page(self, path: str) -> Reply:
        reply = self.request("GET", path)
        if reply.status != 200:
            raise AssertionError(f"GET {path}: {reply.status} {reply.location}")
        return reply

    def form(self, path: str) -> Fields:
        """GET the page; its form's fields as the page fills them in (the CSRF token among them)."""
        return page_form(self.page(path).text, path)

    def token(self, path: str) -> str:
        token = dict(self.form(path)).get("csrf_token")
        if not token:
            raise AssertionError(f"GET {path}: no CSRF token")
        return token

    def post_form(self, path: str, changes: dict, files: dict | None = None) -> Reply:
        """Submit the page's own form with ``changes``; multipart when ``files`` is given (even empty)."""
        fields = with_changes(self.form(path), changes)
        if files is None:
            return self.request("POST", path, urlencode(fields).encode(), "application/x-www-form-urlencoded")
        body, content_type = multipart(fields, files)
        return self.request("POST", path, body, content_type)

    def submit(self, path: str, fields: list[tuple[str, str]] | dict) -> Reply:
        """A question page: its answer must be accepted (a redirect to the next page)."""
        reply = self.post_form(path, dict(_grouped(fields)))
        if reply.status != 302:
            raise AssertionError(f"POST {path}: {reply.status} {_error_summary(reply.text)}")
        return reply

    def answer_pages(self, first: str, answers: dict[str, dict], last: tuple[str, ...]) -> Reply:
        """Answer the page at ``first`` and each page the server leads to next, until one in ``last``."""
        path, reply = first, None
        for _ in range(30):
            if path in last:
                return reply
            if path not in answers:
                raise AssertionError(f"the app asks {path}, which this client has no answer for")
            reply = self.submit(path, answers[path] or {"channels": self.offered_channels(path)})
            self.asked.append(path)
            path = reply.location
        raise AssertionError(f"no end to the questions after {first}")

    def offered_channels(self, path: str) -> list[str]:
        return re.findall(r'name="channels" type="checkbox" value="([a-z]+)"', self.page(path).text)

    # --- journeys ----------------------------------------------------------------------------------

    def answer_wizard(self, person: dict, request_type: str = "both", company: str | list[str] = "clearview-ai",
                      reason: str = "", language: str = "en", channels: tuple[str, ...] | None = ("email",),
                      other_company: dict | None = None) -> None:
        """Every question, up to "check your answers". Email: every shipped company but FaceCheck.ID takes it."""
        companies = [company] if isinstance(company, str) else list(company)
        self.request("GET", "/")
        self.answer_pages("/request-type", wizard_answers(person, request_type, companies, reason, language,
                                                          channels, other_company), last=("/check-answers",))
        self.page("/check-answers")

    def complete_wizard(self, person: dict, request_type: str = "both", company: str | list[str] = "clearview-ai",
                        reason: str = "", photo: bytes | None = None, language: str = "en",
                        channels: tuple[str, ...] | None = ("email",), other_company: dict | None = None) -> Reply:
        """Answer every page and download the letter (or the ZIP, for several companies); returns that reply."""
        self.answer_wizard(person, request_type, company, reason, language, channels, other_company)
        return self.download(photo)

    def download(self, photo: bytes | None = None, token: str | None = None) -> Reply:
        """POST the download form; a token from an earlier page can be reused (it lives as long as the answers)."""
        token = token or self.token("/download")
        files = {"photo": ("face.jpg", "image/jpeg", photo)} if photo else {}
        body, content_type = multipart([("csrf_token", token)], files)
        return self.request("POST", "/download", body, content_type)

    def upload_letter(self, pdf: bytes, token: str | None = None) -> Reply:
        """POST a letter PDF to "Continue a request", whatever comes back (302 read, 400 refused)."""
        body, content_type = multipart([("csrf_token", token or self.token("/continue"))],
                                       {"letter": ("letter.pdf", "application/pdf", pdf)})
        return self.request("POST", "/continue", body, content_type)

    def continue_with(self, pdf: bytes) -> Reply:
        """Upload a letter on "Continue a request"; it must be accepted."""
        reply = self.post_form("/continue", {}, files={"letter": ("letter.pdf", "application/pdf", pdf)})
        if reply.status != 302:
            raise AssertionError(f"POST /continue: {reply.status} {_error_summary(reply.text)}")
        return reply

    def follow_up(self, first: str, answers: dict[str, dict], photo: bytes | None = None) -> Reply:
        """Answer the questions after the letter from ``first`` (e.g. the redirect of continue_with),
        then download the follow-up letter; returns that reply."""
        self.answer_pages(first, answers, last=("/after/letter",))
        files = {"photo": ("face.jpg", "image/jpeg", photo)} if photo else {}
        return self.post_form("/after/letter", {}, files=files)

    def complaint(self, changes: dict | None = None) -> Reply:
        """The complaint page's form as it comes (the authority and language it proposes), with ``changes``."""
        return self.post_form("/complaint", changes or {})


def _grouped(fields) -> dict:
    """[("grounds", "a"), ("grounds", "b")] -> {"grounds": ["a", "b"]}; a dict is kept as it is."""
    if isinstance(fields, dict):
        return fields
    grouped: dict = {}
    for name, value in fields:
        grouped.setdefault(name, []).append(value)
    return {name: values[0] if len(values) == 1 else values for name, values in grouped.items()}


def _error_summary(html: str) -> str:
    summary = re.search(r'class="error-summary".*?</div>', html, re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", summary.group(0))).strip()[:300] if summary else ""


@dataclass
class InProcessClient(WizardClient):
    """The same requests, sent to ``app`` through Flask's test client: no network, no server."""
    host: str = "localhost"
    port: int = 0
    app: object = None

    def send(self, method: str, path: str, body: bytes | None, headers: dict[str, str]) -> Reply:
        client = self.app.test_client(use_cookies=False)
        content_type = headers.pop("Content-Type", None)
        started = time.perf_counter()
        response = client.open(path, method=method, data=body, content_type=content_type, headers=headers)
        data = response.get_data()
        return Reply(response.status_code, list(response.headers.items()), data, time.perf_counter() - started)
