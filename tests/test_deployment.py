"""The reference deployment in deploy/, started as shipped on loopback ports: nginx with TLS in
front of two gunicorn instances that share one secret key and one Redis.

Each visitor connects from its own loopback address (127.0.x.y), so that the rate limits,
which count per address, are per scenario, and so that the logs can be searched for them.
The tests run in file order: the HUP, the rolling restart and Redis stopped come after the
slow clients; killing an instance comes last but one, the log check last. There is no systemd
here: tests/deployment.py runs the unit's commands as systemd would (see its docstring).
"""
import io
import re
import select
import socket
import ssl
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import quote

import pytest

from deployment import reference_deployment
from bench.machine import worker_pids
from bench.wizard_client import Reply, WizardClient

from conftest import PERSON, REASON, pdf_text

PAGE_LIMIT = 30  # per address and minute, for the rate-limit scenario
METRICS_TOKEN = "deployment-test-metrics-token-0123456789"
SLOW_SOCKETS = 20
SLOW_SECONDS = 25
ACCESS_LINE = re.compile(rb'^"(GET|POST) (/[^"]*)" (\d{3})', re.M)
ADDRESS = re.compile(rb"\b\d{1,3}(?:\.\d{1,3}){3}\b")


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    settings = {"FACERIGHTS_RATELIMIT_DEFAULT": f"{PAGE_LIMIT} per minute", "FACERIGHTS_METRICS_TOKEN": METRICS_TOKEN}
    with reference_deployment(tmp_path_factory.mktemp("deployment"), settings) as running:
        yield running


def visitor(deployment, address: str, **kwargs) -> WizardClient:
    return WizardClient("127.0.0.1", deployment.https_port, ssl_context=deployment.ssl_context(),
                        source_address=address, **kwargs)


def large_photo() -> bytes:
    """About 2 MB: more than nginx would keep in memory by default (it would spool it to disk)."""
    import random

    from PIL import Image
    noise = random.Random(13).randbytes(1200 * 1200 * 3)
    buffer = io.BytesIO()
    Image.frombytes("RGB", (1200, 1200), noise).save(buffer, format="JPEG", quality=95)
    return buffer.getvalue()


def access_lines(log: bytes) -> list[tuple[bytes, bytes, bytes]]:
    return [match.groups() for match in ACCESS_LINE.finditer(log)]


def test_a_visit_alternating_between_the_instances_completes(deployment):
    before = [len(access_lines(instance.log())) for instance in deployment.instances]
    photo = large_photo()
    assert len(photo) > 1_500_000
    client = visitor(deployment, "127.0.0.10")
    reply = client.complete_wizard(PERSON, request_type="both", reason=REASON, photo=photo)
    assert reply.status == 200 and reply.body.startswith(b"%PDF-")
    text = pdf_text(reply.body)
    assert PERSON["full_name"] in text and "Article 17" in text
    # nginx passed the answers from one instance to the other: each served part of the visit.
    served = [access_lines(instance.log())[count:] for instance, count in zip(deployment.instances, before)]
    assert all(len(lines) >= 4 for lines in served), served
    assert sum(len(lines) for lines in served) == len(client.replies)
    assert {line[:2] for lines in served for line in lines} >= {(b"POST", b"/your-details"), (b"POST", b"/download")}
    # The 2 MB photo and the letter stayed in memory: nginx wrote no temporary file.
    assert deployment.temp_files() == []
    # Through nginx over TLS, as the browser sees it.
    headers = {name.lower(): value for name, value in reply.headers}
    assert "strict-transport-security" in headers and headers["server"] == "nginx"
    cookies = [value for reply in client.replies for name, value in reply.headers if name.lower() == "set-cookie"]
    assert cookies and all("Secure" in value for value in cookies)


def test_machine_endpoints_behind_nginx(deployment):
    client = visitor(deployment, "127.0.0.11")
    assert client.request("GET", "/healthz").status == 200
    # /metrics is scraped from each instance directly; nginx does not pass it on, even with the token,
    # however it is written (the app answers /metrics/ like /metrics).
    client.headers["Authorization"] = f"Bearer {METRICS_TOKEN}"
    for path in ("/metrics", "/metrics/", "/metrics//", "/metrics/x"):
        assert client.request("GET", path).status == 404, path
    direct = WizardClient("127.0.0.1", deployment.instances[0].port, headers=client.headers)
    assert direct.request("GET", "/metrics").status == 200


def test_the_rate_limit_counts_across_both_instances(deployment):
    import redis

    before = [len(access_lines(instance.log())) for instance in deployment.instances]
    client = visitor(deployment, "127.0.0.12")
    statuses = []
    for number in range(PAGE_LIMIT + 2):
        # nginx overwrites X-Forwarded-For: a client cannot pose as many.
        client.headers["X-Forwarded-For"] = f"198.51.100.{number}"
        statuses.append(client.request("GET", "/request-type").status)
    # With a count per worker, two instances of two workers would allow four times as many.
    assert statuses == [200] * PAGE_LIMIT + [429, 429]
    served = [access_lines(instance.log())[count:] for instance, count in zip(deployment.instances, before)]
    assert all(len(lines) >= PAGE_LIMIT // 2 - 1 for lines in served), [len(lines) for lines in served]
    keys = redis.Redis(host="127.0.0.1", port=deployment.redis_port).keys("*")
    assert keys and not any(b"127.0." in key for key in keys), keys


@dataclass
class Outcome:
    started: float
    ended: float
    path: str
    status: int | None  # None: no answer (the connection failed)


class RecordingClient(WizardClient):
    """Records every request's outcome, failures included, in a shared list."""

    def __init__(self, *args, outcomes: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcomes = outcomes

    def request(self, method, path, body=None, content_type=None) -> Reply:
        started = time.monotonic()
        try:
            reply = super().request(method, path, body, content_type)
        except OSError:
            self.outcomes.append(Outcome(started, time.monotonic(), f"{method} {path}", None))
            raise
        self.outcomes.append(Outcome(started, time.monotonic(), f"{method} {path}", reply.status))
        return reply


def keep_visiting(deployment, stop: threading.Event, outcomes: list, first_address: int, letters: list) -> None:
    """New visitors, one after the other, each from its own address, until told to stop."""
    number = first_address
    while not stop.is_set():
        client = RecordingClient("127.0.0.1", deployment.https_port, ssl_context=deployment.ssl_context(),
                                 source_address=f"127.0.{number // 250 + 1}.{number % 250 + 1}", outcomes=outcomes)
        number += 1
        try:
            reply = client.complete_wizard(PERSON, request_type="access")
            letters.append(reply.status == 200 and reply.body.startswith(b"%PDF-"))
        except (AssertionError, OSError):
            pass  # a lost request: counted in outcomes


class SlowClients:
    """Half send their request headers one line every 2 s; half send a POST body 4 bytes every 2 s.
    A socket nginx answers or closes is opened again, so `count` are held open all the time."""

    def __init__(self, deployment, count: int, address: str):
        self.port, self.context, self.address = deployment.https_port, deployment.ssl_context(), address
        self.opened = 0
        self.closed_by_server = {"headers": 0, "body": 0}
        self.sockets = [[kind, self.open(kind)] for kind in ("headers", "body") * (count // 2)]

    def open(self, kind: str):
        raw = socket.create_connection(("127.0.0.1", self.port), timeout=5, source_address=(self.address, 0))
        connection = self.context.wrap_socket(raw, server_hostname="127.0.0.1")
        if kind == "headers":
            connection.sendall(b"GET /request-type HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        else:
            connection.sendall(b"POST /request-type HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                               b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n")
        self.opened += 1
        return connection

    @staticmethod
    def answered(connection) -> bool:
        """nginx sent an answer (408) or closed the connection; TLS session tickets do not count."""
        if not select.select([connection], [], [], 0)[0]:
            return False
        connection.setblocking(False)
        try:
            connection.recv(4096)
            return True
        except ssl.SSLWantReadError:
            return False
        finally:
            connection.settimeout(5)

    def trickle(self, seconds: float, stop: threading.Event) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not stop.is_set():
            for entry in self.sockets:
                kind, connection = entry
                try:
                    if self.answered(connection):
                        raise ConnectionResetError
                    connection.sendall(b"X-Slow: 1\r\n" if kind == "headers" else b"a=aa")
                except OSError:
                    self.closed_by_server[kind] += 1
                    connection.close()
                    entry[1] = self.open(kind)
            stop.wait(2)
        for _, connection in self.sockets:
            connection.close()


def test_slow_clients_held_at_nginx_do_not_stop_other_visitors(deployment):
    outcomes, letters, stop = [], [], threading.Event()
    slow = SlowClients(deployment, SLOW_SOCKETS, "127.0.0.13")
    attacker = threading.Thread(target=slow.trickle, args=(SLOW_SECONDS, stop))
    attacker.start()
    try:
        time.sleep(1)  # every slow socket is open before the first visitor comes
        deadline = time.monotonic() + SLOW_SECONDS - 2
        visits = threading.Thread(target=keep_visiting, args=(deployment, stop, outcomes, 0, letters))
        visits.start()
        while time.monotonic() < deadline and visits.is_alive():
            time.sleep(0.2)
    finally:
        stop.set()
        attacker.join()
    visits.join()
    failed = [outcome for outcome in outcomes if outcome.status is None or outcome.status >= 500]
    slowest = max(outcome.ended - outcome.started for outcome in outcomes)
    print(f"\nslow clients: {SLOW_SOCKETS} sockets for {SLOW_SECONDS} s, opened {slow.opened}, "
          f"closed by nginx {slow.closed_by_server}; visitor requests {len(outcomes)}, failed {len(failed)}, "
          f"letters {sum(letters)}, slowest request {slowest:.2f} s")
    assert failed == []
    assert len(letters) >= 3 and all(letters)
    assert slowest < 5
    # nginx dropped the slow headers after client_header_timeout (10 s), and held the trickled
    # bodies (a few bytes within every client_body_timeout) without bothering gunicorn.
    assert slow.closed_by_server["headers"] >= SLOW_SOCKETS // 2
    assert slow.closed_by_server["body"] == 0
    for instance in deployment.instances:
        assert b"WORKER TIMEOUT" not in instance.log()


@contextmanager
def under_load(deployment, visitors: int, first_address: int):
    """Visitors completing the wizard through nginx while the block runs; yields their outcomes."""
    outcomes, letters, stop = [], [], threading.Event()
    load = [threading.Thread(target=keep_visiting, args=(deployment, stop, outcomes, first_address + 1000 * n, letters))
            for n in range(visitors)]
    for thread in load:
        thread.start()
    try:
        time.sleep(2)
        yield outcomes, letters
        time.sleep(2)
    finally:
        stop.set()
        for thread in load:
            thread.join()


def failures(outcomes: list) -> list:
    return [(outcome.path, outcome.status) for outcome in outcomes if outcome.status is None or outcome.status >= 500]


def scrape(instance) -> float:
    """The pages counted by this instance's workers, dead ones included."""
    reply = WizardClient("127.0.0.1", instance.port, headers={"Authorization": f"Bearer {METRICS_TOKEN}"}).request(
        "GET", "/metrics")
    assert reply.status == 200
    return sum(float(value) for value in re.findall(rb"^facerights_pages_total\{[^}]*\} (\S+)$", reply.body, re.M))


def test_a_hup_replaces_the_workers_and_keeps_the_instance_and_its_counts(deployment):
    """Review M2: a HUP ran gunicorn.conf.py again, lost its temporary root, and the instance died."""
    instance = deployment.instances[0]
    workers_before, counted_before = set(worker_pids(instance.process.pid)), scrape(instance)
    with under_load(deployment, 2, 5000) as (outcomes, letters):
        instance.hup()
        deadline = time.monotonic() + 30
        while set(worker_pids(instance.process.pid)) & workers_before and time.monotonic() < deadline:
            time.sleep(0.2)
    print(f"\nHUP: {len(outcomes)} requests, {len(failures(outcomes))} failed, {sum(letters)} letters")
    assert instance.process.poll() is None, instance.log()[-2000:]
    workers_after = set(worker_pids(instance.process.pid))
    assert len(workers_after) == 2 and not workers_after & workers_before
    assert WizardClient("127.0.0.1", instance.port).request("GET", "/healthz").body.startswith(b"ok\n")
    assert failures(outcomes) == [] and sum(letters) >= 2
    # The counts of the replaced workers are kept, not deleted by the second run of gunicorn.conf.py.
    assert scrape(instance) >= counted_before > 0


def test_a_rolling_restart_under_load_fails_no_request(deployment):
    """Review M1: restarting both instances as HOSTING said (one command, then the other at once)
    gave 378 of 607 requests a 502. scripts/rolling-restart.sh restarts one, waits until it answers,
    then the other."""
    masters_before = [instance.process.pid for instance in deployment.instances]
    with under_load(deployment, 2, 8000) as (outcomes, letters):
        started = time.monotonic()
        result = deployment.rolling_restart()
        took = time.monotonic() - started
    assert result.returncode == 0, result.stdout + result.stderr
    assert "the configuration is complete and consistent" in result.stdout
    during = [outcome for outcome in outcomes if started <= outcome.started <= started + took]
    print(f"\nrolling restart: {took:.1f} s, {len(outcomes)} requests ({len(during)} during the restart), "
          f"{len(failures(outcomes))} failed, {sum(letters)} letters")
    assert [instance.process.pid for instance in deployment.instances] != masters_before
    assert all(instance.process.poll() is None for instance in deployment.instances)
    assert failures(outcomes) == []
    assert len(during) >= 50 and all(letters) and sum(letters) >= 5


def test_with_redis_stopped_the_pages_work_and_healthz_says_degraded(deployment):
    """Review M3: with Redis down every page answered 500 while /healthz said ok."""
    deployment.redis.stop()
    try:
        client = visitor(deployment, "127.0.0.16")
        reply = client.complete_wizard(PERSON, request_type="access")
        assert reply.status == 200 and reply.body.startswith(b"%PDF-")
        assert all(each.status < 500 for each in client.replies), [each.status for each in client.replies]
        for instance in deployment.instances:
            health = WizardClient("127.0.0.1", instance.port).request("GET", "/healthz")
            assert health.status == 200 and health.body.startswith(b"degraded: the rate-limit store"), health.body
    finally:
        deployment.redis.start()
    # Back to the shared count once Redis answers again (the limiter looks again after a while).
    for instance in deployment.instances:
        assert WizardClient("127.0.0.1", instance.port).request("GET", "/healthz").body.startswith(b"ok\n")


def test_killing_one_instance_mid_visit_loses_only_the_requests_in_flight(deployment):
    visitor_client = visitor(deployment, "127.0.0.14")
    visitor_client.request("GET", "/")
    visitor_client.submit("/request-type", [("request_type", "access")])
    visitor_client.submit("/company", [("company", "pimeyes")])
    visitor_client.submit("/sending", [("channels", "email")])

    outcomes, letters, stop = [], [], threading.Event()
    load = [threading.Thread(target=keep_visiting, args=(deployment, stop, outcomes, 1000 * (n + 1), letters))
            for n in range(2)]
    for thread in load:
        thread.start()
    time.sleep(2)
    victim = deployment.instances[0]
    killed_at = time.monotonic()
    victim.kill()
    # The processes die somewhere between these two moments (SIGKILL, then wait for the exit).
    dead_at = time.monotonic()
    time.sleep(4)
    stop.set()
    for thread in load:
        thread.join()

    # The visit that was under way completes on the surviving instance.
    visitor_client.submit("/your-details", list(PERSON.items()))
    visitor_client.submit("/letter-language", [("letter_language", "en")])
    reply = visitor_client.download()
    assert reply.status == 200 and PERSON["full_name"] in pdf_text(reply.body)

    lost = [outcome for outcome in outcomes if outcome.status is None or outcome.status >= 500]
    after = [outcome for outcome in outcomes if outcome.started > dead_at]
    print(f"\nkill: {len(outcomes)} requests from 2 concurrent visitors, {len(lost)} lost "
          f"({[(o.path, o.status) for o in lost]}), {len(after)} after the kill, {sum(letters)} letters")
    # Lost: only requests already under way when the instance died (two visitors: at most two).
    assert all(outcome.started < dead_at and outcome.ended > killed_at for outcome in lost), lost
    assert len(lost) <= 2
    assert len(after) >= 10 and all(outcome.status is not None and outcome.status < 500 for outcome in after)


def test_no_visitor_address_or_query_string_in_any_log(deployment):
    client = visitor(deployment, "127.0.0.15", headers={"X-Forwarded-For": "198.51.100.84"})
    assert client.request("GET", "/language/de?next=" + quote("/request-type?sentinel-query")).status == 302

    def logs():
        return deployment.nginx_logs(), b"".join(instance.log() for instance in deployment.instances)

    deadline = time.monotonic() + 5  # nginx writes its line once the response is finished
    while not all(b'"GET /language/de" 302' in log for log in logs()) and time.monotonic() < deadline:
        time.sleep(0.1)
    nginx_logs, instance_logs = logs()
    assert b'"GET /language/de" 302' in nginx_logs and b'"GET /language/de" 302' in instance_logs
    for log in (nginx_logs, instance_logs):
        assert b"sentinel-query" not in log and b"198.51.100.84" not in log
        for line in log.splitlines():
            if b"Listening at" not in line:  # gunicorn's own address at start-up
                assert not ADDRESS.search(line), line
    assert deployment.temp_files() == []
    assert list((deployment.folder / "redis-data").iterdir()) == []
