"""No IP address in any log line by default; a host can opt in to addresses in the access log.

The visitor connects from 127.0.0.2 (the server listens on 127.0.0.1) and, with a trusted
proxy configured, also claims a sentinel address in X-Forwarded-For: neither may be logged.
"""
import re
import socket

import pytest

from app import create_app
from app.config import ACCESS_LOG_FORMAT, access_log_format, as_flag
from bench.server import production_server
from bench.wizard_client import WizardClient

from conftest import PERSON

VISITOR = "127.0.0.2"
FORWARDED_SENTINEL = "198.51.100.84"  # TEST-NET-2: no real client has it
USER_AGENT = "SentinelAgent/8472"
IPV4 = re.compile(rb"\b\d{1,3}(?:\.\d{1,3}){3}\b")
ACCESS_LINE = re.compile(rb'"(?:GET|POST) /')


def visit(port: int) -> WizardClient:
    client = WizardClient("127.0.0.1", port, source_address=VISITOR,
                          headers={"X-Forwarded-For": FORWARDED_SENTINEL, "User-Agent": USER_AGENT})
    reply = client.complete_wizard(PERSON, request_type="access")
    assert reply.status == 200 and reply.body.startswith(b"%PDF-")
    client.request("GET", "/language/de?next=/check-answers")
    return client


def send_malformed_request(port: int) -> None:
    """gunicorn answers a broken request line itself, and would log "Invalid request from ip=..."."""
    with socket.create_connection(("127.0.0.1", port), source_address=(VISITOR, 0), timeout=5) as raw:
        raw.sendall(b"GET /\x01 HTTP/1.1\r\nHost: x\r\n\r\n")
        assert raw.recv(100).startswith(b"HTTP/1.1 400")


def server_log(tmp_path, extra_env: dict) -> bytes:
    log_path = tmp_path / "server.log"
    env = {"FACERIGHTS_TRUSTED_PROXIES": "1", **extra_env}
    with production_server(workers=1, log_path=log_path, extra_env=env) as (port, _):
        visit(port)
        send_malformed_request(port)
    return log_path.read_bytes()


def test_the_shipped_configuration_logs_no_address_and_no_user_agent(tmp_path):
    log = server_log(tmp_path, {})
    access_lines = [line for line in log.splitlines() if ACCESS_LINE.search(line)]
    assert len(access_lines) >= 10, log
    assert b'"POST /download" 200' in log
    assert b"Invalid request from ip=(not logged)" in log
    for needle in (VISITOR.encode(), FORWARDED_SENTINEL.encode(), USER_AGENT.encode(), b"next="):
        assert needle not in log, needle
    for line in access_lines:
        assert not IPV4.search(line), line


def test_a_host_can_opt_in_to_addresses_in_the_access_log(tmp_path):
    log = server_log(tmp_path, {"FACERIGHTS_ACCESS_LOG_ADDRESSES": "true"})
    access_lines = [line for line in log.splitlines() if ACCESS_LINE.search(line)]
    # Behind the trusted proxy, the address is the one the proxy reports.
    assert access_lines and all(line.startswith(FORWARDED_SENTINEL.encode() + b' "') for line in access_lines)
    assert USER_AGENT.encode() not in log


def test_the_app_reads_the_same_setting(monkeypatch, tmp_path):
    def setting(value):
        monkeypatch.setenv("FACERIGHTS_ACCESS_LOG_ADDRESSES", value)
        return create_app({"TESTING": True, "COMPANIES_FOLDER": str(tmp_path)}).config["ACCESS_LOG_ADDRESSES"]

    assert create_app({"TESTING": True, "COMPANIES_FOLDER": str(tmp_path)}).config["ACCESS_LOG_ADDRESSES"] is False
    assert setting("true") is True
    assert setting("false") is False
    with pytest.raises(ValueError):
        setting("maybe")


def test_the_formats_differ_only_by_the_address():
    assert access_log_format(False) == ACCESS_LOG_FORMAT
    for fields in ("%(h)s", "%(a)s", "%(q)s", "%(r)s", "%(f)s", "%({"):
        assert fields not in ACCESS_LOG_FORMAT
    assert access_log_format(True) == "%(h)s " + ACCESS_LOG_FORMAT
    assert as_flag("Yes") is True and as_flag(False) is False
