"""Benchmark 1: the letter a visitor is served, against bare WeasyPrint renders; and the download page.

    .venv/bin/python -m bench.overhead [--runs 30] [--smoke]

Each letter is asked for as a visitor asks for it (bench/reference.py: the wizard's pages, through
the app). Then, in one process and alternating run by run (CPU time, medians):

- served: POST /download, the PDF the visitor gets (the app's whole path: state, form, letter, PDF);
- page: GET /download, the page that shows the letter and says how many pages it has;
- same HTML: a bare WeasyPrint render of the very HTML the app rendered, with the letter's stylesheet;
- same length: a bare render of the letter's own text as plain paragraphs, with its fonts, size and
  margins, filling as many pages as the letter has.

Targets, for the letters without a photo: served <= 1.10 x same HTML (what FaceRights adds around
WeasyPrint); served <= 1.3 x same length per page (issue 18, point 8); page <= 0.5 x served (issue
18, point 7). With a photo, the served letter also reads, checks and shrinks the upload
(bench.photo_cost), which no bare render does: those cases are measured, not held to the targets.
"""
from __future__ import annotations

import json
import sys
from dataclasses import replace

from .machine import describe, exit_status
from .reference import LONGEST, SHORTEST, Bare, alternating, bench_app, ms, options, pdf_pages, typical_photo, \
    watching_weasyprint

CASES = {
    "shortest (access, English)": SHORTEST,
    "shortest, with photo": replace(SHORTEST, photo=True),
    "longest (access and erasure with objection, longest answers, English)": LONGEST,
    "longest, with photo": replace(LONGEST, photo=True),
    "longest in German, page in English (with the copy for the records)": replace(LONGEST, language="de"),
}
TARGETS = {"served_vs_same_html": 1.10, "served_vs_same_length_per_page": 1.3, "page_vs_served": 0.5}


def measure(app, bare: Bare, case, photo: bytes | None, runs: int, warm_up: int) -> dict:
    client = case.visit(app)
    token = client.token("/download")

    def served():
        reply = client.download(photo, token=token)
        if reply.status != 200 or not reply.body.startswith(b"%PDF-"):
            raise AssertionError(f"POST /download: {reply.status}")
        return reply

    def page():
        return client.page("/download")

    with watching_weasyprint() as letter:
        pdf = served().body
    with watching_weasyprint() as download_page:
        page()
    html, pages = letter.html[0], pdf_pages(pdf)
    same_length = bare.same_length(html, pages)
    medians = alternating({"served": served, "page": page, "same_html": lambda: bare.same_html(html),
                           "same_length": lambda: bare.plain(same_length)}, runs, warm_up)
    return {"pages": pages, "same_length_pages": bare.plain_pages(same_length),
            "layouts_of_the_page": download_page.layouts,
            **{f"{name}_ms": ms(value) for name, value in medians.items()},
            "served_vs_same_html": round(medians["served"] / medians["same_html"], 3),
            # Both have the same number of pages: per page is the ratio of the times.
            "served_vs_same_length_per_page": round(medians["served"] / medians["same_length"], 3),
            "page_vs_served": round(medians["page"] / medians["served"], 3)}


def main(argv=None) -> int:
    args = options(__doc__, runs=30, smoke="one run of the first letter", argv=argv)
    cases = dict(list(CASES.items())[:1]) if args.smoke else CASES
    app, bare = bench_app(), Bare()
    photo = typical_photo() if any(case.photo for case in cases.values()) else None
    report = {"machine": describe(), "runs": args.runs, "targets": TARGETS, "cases": {}}
    for label, case in cases.items():
        figures = measure(app, bare, case, photo if case.photo else None, args.runs, args.warm_up)
        report["cases"][label] = figures
        print(label, figures, file=sys.stderr)
    print(json.dumps(report, indent=2))
    return exit_status([f"{label}: {name} {figures[name]} (target {limit})"
                        for label, figures in report["cases"].items() if not cases[label].photo
                        for name, limit in TARGETS.items() if figures[name] > limit])


if __name__ == "__main__":
    sys.exit(main())
