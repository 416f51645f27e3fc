"""Benchmark 2: letters per second from the production server.

    .venv/bin/python -m bench.throughput [--seconds 30] [--clients 1 4 16] [--smoke]

gunicorn (gunicorn.conf.py, workers = cores) on loopback; a load generator in
this process with 1, 4 and 16 concurrent clients, each posting the download
form of an access letter again and again (no photo, rate limits off: every
client shares the loopback address). Reports letters/s, p50 and p95, and the
bare render time of the same letter measured in-process, for the targets: at 16
clients at least 90 % of workers / bare render time letters per second, and p95
under 4 x the single-client p50.
"""
from __future__ import annotations

import argparse
import json
import os
import sys

from .load import run_load
from .machine import describe, exit_status
from .reference import SHORTEST, Bare, alternating, bench_app, watching_weasyprint
from .server import production_server


def bare_render_seconds(runs: int) -> float:
    """A bare render of the letter the clients download (the access letter), in this process."""
    client, bare = SHORTEST.visit(bench_app()), Bare()
    with watching_weasyprint() as letter:
        client.download()
    return alternating({"bare": lambda: bare.same_html(letter.html[0])}, runs)["bare"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, nargs="*", default=[1, 4, 16])
    parser.add_argument("--smoke", action="store_true", help="1 s with 1 and 2 clients: does it still work?")
    args = parser.parse_args(argv)
    if args.smoke:
        args.seconds, args.clients = 1, [1, 2]
    bare = bare_render_seconds(1 if args.smoke else 20)
    workers = os.cpu_count()
    report = {"machine": describe(), "workers": workers, "bare_render_ms": round(1000 * bare, 1),
              "ceiling_letters_per_second": round(workers / bare, 1), "runs": {}}
    with production_server(extra_env={"FACERIGHTS_RATELIMIT_ENABLED": "false"}) as (port, _):
        # Warm-up: every worker has rendered a few letters before the clock starts.
        run_load(port, 1 if args.smoke else workers * 2, 1 if args.smoke else 5, mode="letters", validate=False)
        for clients in args.clients:
            result = run_load(port, clients, args.seconds, mode="letters", validate=False)
            report["runs"][str(clients)] = result.summary()
            print(clients, result.summary(), file=sys.stderr)

    runs = report["runs"]
    problems = []
    if "16" in runs and "1" in runs:
        ratio = runs["16"]["letters_per_second"] / report["ceiling_letters_per_second"]
        report["throughput_ratio"] = round(ratio, 3)
        if ratio < 0.9:
            problems.append(f"16 clients: {runs['16']['letters_per_second']} letters/s is {ratio:.0%} of the ceiling")
        if runs["16"]["letter_p95_ms"] >= 4 * runs["1"]["letter_p50_ms"]:
            problems.append(f"16 clients: p95 {runs['16']['letter_p95_ms']} ms >= 4 x single-client p50 "
                            f"{runs['1']['letter_p50_ms']} ms")
    print(json.dumps(report, indent=2))
    return exit_status(problems)


if __name__ == "__main__":
    sys.exit(main())
