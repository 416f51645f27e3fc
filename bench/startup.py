"""Benchmark 4: start-up, and the wizard's HTML pages.

    .venv/bin/python -m bench.startup [--starts 5] [--page-runs 300]

a) From starting the production server (gunicorn, workers = cores) to the first
   PDF served: a client connects as soon as the port is open, answers every page
   and downloads a letter. Repeated STARTS times; target: within 2 s.
b) In-process (Flask test client, no network), each wizard page rendered
   PAGE_RUNS times; target: p50 under 5 ms.
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time

from .load import PERSON, REASON
from .machine import describe, exit_status
from .server import BENCH_SECRET, GUNICORN, ROOT, free_port
from .wizard_client import WizardClient


def time_to_first_pdf() -> dict:
    port = free_port()
    env = dict(os.environ, FACERIGHTS_SECRET_KEY=BENCH_SECRET, FACERIGHTS_RATELIMIT_ENABLED="false")
    started = time.perf_counter()
    process = subprocess.Popen([str(GUNICORN), "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
                                "wsgi:app"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.005)
        listening = time.perf_counter() - started
        client = WizardClient("127.0.0.1", port)
        reply = client.complete_wizard(PERSON, request_type="both", reason=REASON)
        assert reply.status == 200 and reply.body.startswith(b"%PDF-"), reply.status
        first_pdf = time.perf_counter() - started
        second = client.download().seconds
        return {"listening_s": round(listening, 2), "first_pdf_s": round(first_pdf, 2),
                "first_letter_request_ms": round(1000 * reply.seconds, 1),
                "next_letter_request_ms": round(1000 * second, 1)}
    finally:
        process.terminate()
        process.wait()


def page_timings(runs: int) -> dict:
    from app import create_app
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import Wizard  # the suite's browser-like helper

    app = create_app({"SECRET_KEY": BENCH_SECRET, "RATELIMIT_ENABLED": False})
    client = app.test_client()
    Wizard(client).answer_all("both", grounds=["unlawful-biometric", "objection"], reason=REASON)
    timings = {}
    for path in ["/", "/request-type", "/company", "/your-details", "/letter-language", "/erasure-grounds",
                 "/recollection", "/check-answers",
                 "/download"]:
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(path)
            samples.append(time.perf_counter() - started)
            assert response.status_code == 200, (path, response.status_code)
        samples.sort()
        timings[path] = {"p50_ms": round(1000 * statistics.median(samples), 2),
                         "p95_ms": round(1000 * samples[int(0.95 * len(samples))], 2)}
    return timings


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--page-runs", type=int, default=300)
    args = parser.parse_args(argv)
    starts = [time_to_first_pdf() for _ in range(args.starts)]
    report = {"machine": describe(), "starts": starts,
              "first_pdf_median_s": statistics.median(start["first_pdf_s"] for start in starts),
              "pages": page_timings(args.page_runs)}
    print(json.dumps(report, indent=2))
    problems = []
    if report["first_pdf_median_s"] >= 2:
        problems.append(f"first PDF after {report['first_pdf_median_s']} s")
    problems += [f"{path}: p50 {figures['p50_ms']} ms" for path, figures in report["pages"].items()
                 if figures["p50_ms"] >= 5]
    return exit_status(problems)


if __name__ == "__main__":
    sys.exit(main())
