"""Benchmark 4: start-up, and the wizard's HTML pages.

    .venv/bin/python -m bench.startup [--starts 5] [--page-runs 300] [--smoke]

a) From starting the production server (gunicorn, workers = cores) to the first
   PDF served: a client connects as soon as the port is open, answers every page
   and downloads a letter. Repeated STARTS times; target: within 2 s. Beside it, in
   turn with each start, the bare reference: a new Python process that imports
   WeasyPrint and renders the same letter's HTML once (what any WeasyPrint service
   pays before its first PDF).
b) In-process (Flask test client, no network; CPU time), each page of the wizard that a
   visitor asking for access and erasure with an objection sees, rendered PAGE_RUNS times;
   target: p50 under 5 ms for the question pages. The download page shows the letter
   itself: its target is relative to the letter's render (bench.overhead).
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


BARE_COLD_START = """
import sys
from weasyprint import CSS, HTML
from app.letters.pdf import BASE_URL, PDF_VARIANT
from app.letters.render import LETTER_TEMPLATES
HTML(string=sys.stdin.read(), base_url=BASE_URL).write_pdf(
    stylesheets=[CSS(filename=str(LETTER_TEMPLATES / "letter.css"))], pdf_variant=PDF_VARIANT)
"""


def the_letter_html() -> str:
    """The HTML of the letter the start-up client downloads, as the app renders it."""
    from .reference import bench_app, watching_weasyprint
    from .wizard_client import InProcessClient

    with watching_weasyprint() as letter:
        InProcessClient(app=bench_app()).complete_wizard(PERSON, request_type="both", reason=REASON)
    return letter.html[-1]


def bare_cold_start(html: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", BARE_COLD_START], input=html, text=True, cwd=ROOT, check=True)
    return time.perf_counter() - started


def cpu_seconds(function) -> float:
    """CPU time of this process: the test client serves the page in it, and other processes on the
    machine do not count."""
    started = time.process_time()
    function()
    return time.process_time() - started


def page_timings(runs: int) -> dict:
    from .reference import bench_app
    from .wizard_client import InProcessClient

    client = InProcessClient(app=bench_app())
    client.answer_wizard(PERSON, request_type="both", reason=REASON)
    timings = {}
    for path in ["/", *client.asked, "/check-answers", "/download"]:
        samples = sorted(cpu_seconds(lambda: client.page(path)) for _ in range(runs))
        timings[path] = {"p50_ms": round(1000 * statistics.median(samples), 2),
                         "p95_ms": round(1000 * samples[int(0.95 * len(samples))], 2)}
    return timings


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--page-runs", type=int, default=300)
    parser.add_argument("--smoke", action="store_true", help="one start, 3 runs a page: does it still work?")
    args = parser.parse_args(argv)
    if args.smoke:
        args.starts, args.page_runs = 1, 3
    html = the_letter_html()
    starts = [{**time_to_first_pdf(), "bare_cold_start_s": round(bare_cold_start(html), 2)}
              for _ in range(args.starts)]
    first_pdf = statistics.median(start["first_pdf_s"] for start in starts)
    bare = statistics.median(start["bare_cold_start_s"] for start in starts)
    report = {"machine": describe(), "starts": starts, "first_pdf_median_s": first_pdf,
              "bare_cold_start_median_s": bare, "first_pdf_vs_bare_cold_start": round(first_pdf / bare, 2),
              "pages": page_timings(args.page_runs)}
    print(json.dumps(report, indent=2))
    problems = []
    if report["first_pdf_median_s"] >= 2:
        problems.append(f"first PDF after {report['first_pdf_median_s']} s")
    problems += [f"{path}: p50 {figures['p50_ms']} ms" for path, figures in report["pages"].items()
                 if figures["p50_ms"] >= 5 and path != "/download"]
    return exit_status(problems)


if __name__ == "__main__":
    sys.exit(main())
