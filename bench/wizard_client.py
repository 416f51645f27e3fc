"""A minimal HTTP client that walks the FaceRights wizard like a browser.

Used by the load benchmarks and by the test that checks no personal data is
left behind: it keeps cookies, reads each page's CSRF token, and posts forms.
"""
from __future__ import annotations

import http.client
import re
import ssl
import time
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

_TOKEN = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


@dataclass
class Reply:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    seconds: float = 0.0  # from sending the request to the last byte of the answer

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


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

    def connect(self) -> http.client.HTTPConnection:
        source = (self.source_address, 0) if self.source_address else None
        if self.ssl_context:
            return http.client.HTTPSConnection(self.host, self.port, timeout=self.timeout, context=self.ssl_context,
                                               source_address=source)
        return http.client.HTTPConnection(self.host, self.port, timeout=self.timeout, source_address=source)

    def request(self, method: str, path: str, body: bytes | None = None, content_type: str | None = None) -> Reply:
        connection = self.connect()
        headers = {"Accept-Language": "en", **self.headers}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            reply = Reply(response.status, response.getheaders(), response.read(), time.perf_counter() - started)
        finally:
            connection.close()
        for name, value in reply.headers:
            if name.lower() == "set-cookie":
                for morsel in SimpleCookie(value).values():
                    if morsel.value and morsel["max-age"] != "0":
                        self.cookies[morsel.key] = morsel.value
                    else:
                        self.cookies.pop(morsel.key, None)
        self.replies.append(reply)
        return reply

    def token(self, path: str) -> str:
        reply = self.request("GET", path)
        if reply.status != 200:
            raise AssertionError(f"GET {path}: {reply.status}")
        match = _TOKEN.search(reply.text)
        if not match:
            raise AssertionError(f"GET {path}: no CSRF token")
        return match.group(1)

    def submit(self, path: str, fields: list[tuple[str, str]]) -> Reply:
        body = urlencode([("csrf_token", self.token(path))] + fields).encode()
        reply = self.request("POST", path, body, "application/x-www-form-urlencoded")
        if reply.status != 302:
            raise AssertionError(f"POST {path}: {reply.status}")
        return reply

    def complete_wizard(self, person: dict, request_type: str = "both", company: str = "clearview-ai",
                        reason: str = "", photo: bytes | None = None, language: str = "en") -> Reply:
        """Answer every page and download the letter; returns the PDF reply."""
        self.request("GET", "/")
        self.submit("/request-type", [("request_type", request_type)])
        self.submit("/company", [("company", company)])
        # Email: every shipped company but FaceCheck.ID takes it.
        self.submit("/sending", [("channels", "email")])
        self.submit("/your-details", list(person.items()))
        self.submit("/letter-language", [("letter_language", language)])
        if request_type != "access":
            grounds = [("grounds", "unlawful-biometric")]
            if reason:
                grounds += [("grounds", "objection")]
            self.submit("/erasure-grounds", grounds)
            if reason:
                self.submit("/objection-reason", [("objection_reason", reason)])
            self.submit("/recollection", [("suppression", "addresses")])
        self.request("GET", "/check-answers")
        return self.download(photo)

    def download(self, photo: bytes | None = None, token: str | None = None) -> Reply:
        """POST the download form; a token from an earlier page can be reused (it lives as long as the answers)."""
        token = token or self.token("/download")
        boundary = uuid.uuid4().hex
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
                 for name, value in (("csrf_token", token),)]
        if photo:
            parts.append((f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; filename="face.jpg"\r\n'
                          f"Content-Type: image/jpeg\r\n\r\n").encode() + photo + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request("POST", "/download", b"".join(parts), f"multipart/form-data; boundary={boundary}")

    def upload_letter(self, pdf: bytes, token: str | None = None) -> Reply:
        """POST a letter PDF to "Continue a request" (302 when it was read, 400 when refused)."""
        token = token or self.token("/continue")
        boundary = uuid.uuid4().hex
        body = (f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
                f'--{boundary}\r\nContent-Disposition: form-data; name="letter"; filename="letter.pdf"\r\n'
                f"Content-Type: application/pdf\r\n\r\n").encode() + pdf + f"\r\n--{boundary}--\r\n".encode()
        return self.request("POST", "/continue", body, f"multipart/form-data; boundary={boundary}")
