"""Benchmark 9: the whole journey of one visitor, every page and the letter, and how many layouts it costs.

    .venv/bin/python -m bench.journey [--runs 10] [--smoke]

A new visitor opens the start page, answers every question (each page shown, then posted), checks
the answers, reads the letter on the download page and downloads it: access and erasure with an
objection to Clearview AI, in English with the page in English, and in German with the page in
English (the page then also shows the copy for the records). In one process, alternating run by run
(CPU time, medians): the journey, and a bare WeasyPrint render of the letter it ends with
(bench/reference.py). Counted: the layouts WeasyPrint does during the journey, and the time of each
request (wall clock, medians). Target: the whole journey costs at most 1.5 x the bare render of its
letter (the pages are cheap, the letter is the cost); it lays out the letter once, for its PDF.
"""
from __future__ import annotations

import json
import statistics
import sys
from collections import defaultdict

from .machine import describe, exit_status
from .load import PERSON, REASON
from .reference import Bare, Case, alternating, bench_app, ms, options, watching_weasyprint

TARGET = 1.5
JOURNEYS = {
    "English letter, English page": Case("both", person=PERSON, reason=REASON),
    "German letter, English page (copy for the records)": Case("both", person=PERSON, reason=REASON, language="de"),
}


def journey(app, case: Case):
    """One visitor from the start page to the PDF; returns the client (its replies in order)."""
    client = case.visit(app)
    token = dict(client.form("/download"))["csrf_token"]  # the page, read once
    reply = client.download(token=token)
    if reply.status != 200 or not reply.body.startswith(b"%PDF-"):
        raise AssertionError(f"POST /download: {reply.status}")
    return client


def measure(app, bare: Bare, case: Case, runs: int, warm_up: int) -> dict:
    with watching_weasyprint() as watched:
        first = journey(app, case)
    letter_html = watched.html[-1]  # the PDF is the last thing made
    per_request = defaultdict(list)

    def one_journey():
        client = journey(app, case)
        for name, reply in zip(client.request_log, client.replies):
            per_request[name].append(reply.seconds)

    medians = alternating({"journey": one_journey, "bare": lambda: bare.same_html(letter_html)}, runs,
                          warm_up)
    return {"requests": len(first.replies), "layouts": watched.layouts, "pdfs": 1,
            "journey_ms": ms(medians["journey"]), "bare_ms": ms(medians["bare"]),
            "journey_vs_bare": round(medians["journey"] / medians["bare"], 3),
            "pages_ms": ms(sum(statistics.median(times) for name, times in per_request.items()
                               if name != "POST /download")),
            "requests_ms": {name: ms(statistics.median(times)) for name, times in per_request.items()}}


def main(argv=None) -> int:
    args = options(__doc__, runs=10, smoke="one journey", argv=argv)
    journeys = dict(list(JOURNEYS.items())[:1]) if args.smoke else JOURNEYS
    app, bare = bench_app(), Bare()
    report = {"machine": describe(), "runs": args.runs, "target": TARGET, "journeys": {}}
    for label, case in journeys.items():
        report["journeys"][label] = figures = measure(app, bare, case, args.runs, args.warm_up)
        print(label, {key: value for key, value in figures.items() if key != "requests_ms"}, file=sys.stderr)
    print(json.dumps(report, indent=2))
    problems = []
    for label, figures in report["journeys"].items():
        if figures["journey_vs_bare"] > TARGET:
            problems.append(f"{label}: the journey costs {figures['journey_vs_bare']} x a bare render of its letter")
        if figures["layouts"] > figures["pdfs"]:
            problems.append(f"{label}: {figures['layouts']} layouts for {figures['pdfs']} PDF")
    return exit_status(problems)


if __name__ == "__main__":
    sys.exit(main())
