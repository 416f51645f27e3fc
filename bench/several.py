"""Benchmark 8: letters to several companies at once, one ZIP; how the cost grows with their number.

    .venv/bin/python -m bench.several [--runs 10] [--smoke]

A visitor asks for access from the first N companies the company page offers (N = 1 to all of
them, a company typed by the person last), sending each letter every way its company takes, in
English. In one process, alternating run by run (CPU time, medians): POST /download (one PDF, or a
ZIP with a PDF per company and an index), GET /download, and the bare WeasyPrint render of each
letter's HTML (bench/reference.py), summed. Target: the download costs at most 1.10 x the sum of its
letters' bare renders, whatever their number (nothing in it grows faster than the letters).
"""
from __future__ import annotations

import io
import json
import re
import sys
import zipfile

from .machine import describe, exit_status
from .reference import SHORTEST, Bare, alternating, bench_app, ms, options, pdf_pages, watching_weasyprint
from .wizard_client import InProcessClient

TARGET = 1.10


def offered_companies(app) -> list[str]:
    """Every company the company page offers, in its order."""
    client = InProcessClient(app=app)
    client.request("GET", "/")
    client.submit("/request-type", {"request_type": "access"})
    return re.findall(r'name="company" type="checkbox" value="([^"]+)"', client.page("/company").text)


def pages_of(reply) -> int:
    if reply.body.startswith(b"%PDF-"):
        return pdf_pages(reply.body)
    with zipfile.ZipFile(io.BytesIO(reply.body)) as archive:
        return sum(pdf_pages(archive.read(name)) for name in archive.namelist() if name.endswith(".pdf"))


def measure(app, bare: Bare, companies: list[str], runs: int, warm_up: int) -> dict:
    client = SHORTEST.visit(app, companies=companies, channels=None)
    token = client.token("/download")

    def download():
        reply = client.download(token=token)
        if reply.status != 200:
            raise AssertionError(f"POST /download for {companies}: {reply.status}")
        return reply

    with watching_weasyprint() as letters:
        reply = download()
    renders = {f"bare {n}": (lambda html=html: bare.same_html(html)) for n, html in enumerate(letters.html)}
    medians = alternating({"download": download, "page": lambda: client.page("/download"), **renders},
                          runs, warm_up)
    bare_sum = sum(value for name, value in medians.items() if name.startswith("bare "))
    return {"letters": len(letters.html), "pages": pages_of(reply), "kind": reply.header("Content-Type"),
            "download_ms": ms(medians["download"]), "page_ms": ms(medians["page"]),
            "bare_renders_ms": ms(bare_sum), "download_per_letter_ms": ms(medians["download"] / len(letters.html)),
            "download_vs_bare": round(medians["download"] / bare_sum, 3)}


def main(argv=None) -> int:
    args = options(__doc__, runs=10, smoke="one run with 1 and 2 companies", argv=argv)
    app, bare = bench_app(), Bare()
    offered = offered_companies(app)
    counts = [1, 2] if args.smoke else range(1, len(offered) + 1)
    report = {"machine": describe(), "runs": args.runs, "target": TARGET, "companies": offered, "by_number": {}}
    for count in counts:
        figures = measure(app, bare, offered[:count], args.runs, args.warm_up)
        report["by_number"][str(count)] = figures
        print(count, figures, file=sys.stderr)
    print(json.dumps(report, indent=2))
    return exit_status([f"{count} companies: download {figures['download_vs_bare']} x the bare renders"
                        for count, figures in report["by_number"].items() if figures["download_vs_bare"] > TARGET])


if __name__ == "__main__":
    sys.exit(main())
