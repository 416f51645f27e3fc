"""Benchmark: what hostile letter uploads cost a worker (security review 2026-12-04, G1).

    .venv/bin/python -m bench.hostile_uploads [--uploads 200]

One gunicorn worker (the production configuration, rate limits off) gets a genuine letter
five times to settle its memory, then ``--uploads`` hostile PDFs of every kind the review
built — the G1 bomb (16 entries of 74 MB zeros behind two Flate layers), 16 Flate layers,
deeply nested JSON, a deeply nested catalog, a 150,000-page tree, an xref loop, a name tree
with /Kids, encrypted letters — in turn. Targets: each is refused (400) in under 1 s, and the
worker's RSS grows by less than 20 MB over all of them.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from . import hostile_pdfs
from .machine import ROOT, describe, exit_status, rss_mb, worker_pids
from .server import BENCH_SECRET, production_server
from .wizard_client import WizardClient

MAX_SECONDS = 1.0
MAX_GROWTH_MB = 20
PERSON = {"full_name": "Bench Mark", "email": "bench@example.org",
          "address": {"street": "Rue Haute 1", "postcode": "1000", "city": "Bruxelles", "country": "BE"}}


def genuine_letter() -> bytes:
    """A real letter, made by the letter command (the public path the app and hosts use)."""
    with tempfile.TemporaryDirectory() as folder:
        person, output = Path(folder) / "person.json", Path(folder) / "letter.pdf"
        person.write_text(json.dumps(PERSON), encoding="utf-8")
        subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "letter", "--company", "clearview-ai",
                        "--request", "access", "--person", str(person), "--output", str(output)],
                       cwd=ROOT, check=True, capture_output=True, env={"FACERIGHTS_SECRET_KEY": BENCH_SECRET,
                                                                       "PATH": "/usr/bin:/bin"})
        return output.read_bytes()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--uploads", type=int, default=200, help="hostile uploads in all (default 200)")
    parser.add_argument("--smoke", action="store_true", help="one upload of each kind: does it still work?")
    args = parser.parse_args(argv)
    letter = genuine_letter()
    kinds = hostile_pdfs.review_kinds(hostile_pdfs.genuine_record(letter), letter)
    names = list(kinds)
    if args.smoke:
        args.uploads = len(names)
    seconds: dict[str, list[float]] = {name: [] for name in names}
    statuses: dict[str, set[int]] = {name: set() for name in names}
    with production_server(workers=1, extra_env={"FACERIGHTS_RATELIMIT_ENABLED": "false"}) as (port, process):
        worker = worker_pids(process.pid)[0]
        for _ in range(5):
            WizardClient("127.0.0.1", port).upload_letter(letter)
        before = rss_mb(worker)
        peak = before
        for number in range(args.uploads):
            name = names[number % len(names)]
            reply = WizardClient("127.0.0.1", port).upload_letter(kinds[name])
            seconds[name].append(reply.seconds)
            statuses[name].add(reply.status)
            peak = max(peak, rss_mb(worker))
        after = rss_mb(worker)
    result = {"machine": describe(), "uploads": args.uploads, "rss_before_mb": round(before, 1),
              "rss_after_mb": round(after, 1), "rss_peak_mb": round(peak, 1),
              "growth_mb": round(after - before, 1),
              "kinds": {name: {"bytes": len(kinds[name]), "statuses": sorted(statuses[name]),
                               "median_s": round(statistics.median(seconds[name]), 3) if seconds[name] else None,
                               "max_s": round(max(seconds[name]), 3) if seconds[name] else None}
                        for name in names}}
    print(json.dumps(result, indent=1))
    problems = [f"{name}: answered {sorted(statuses[name])}, not 400" for name in names if statuses[name] - {400}]
    problems += [f"{name}: slowest refusal {max(seconds[name]):.2f} s > {MAX_SECONDS} s" for name in names
                 if seconds[name] and max(seconds[name]) > MAX_SECONDS]
    if after - before > MAX_GROWTH_MB:
        problems.append(f"worker RSS grew {after - before:.1f} MB > {MAX_GROWTH_MB} MB")
    return exit_status(problems)


if __name__ == "__main__":
    sys.exit(main())
