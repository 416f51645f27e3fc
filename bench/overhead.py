"""Benchmark 1: what FaceRights adds on top of a bare WeasyPrint render.

    .venv/bin/python -m bench.overhead [--runs 60]

In one process, alternating run by run: the full letter path (validated answers
-> Letter -> HTML -> PDF bytes, exactly what a download does) against a bare
WeasyPrint render of the very same HTML and stylesheet, done the way
WeasyPrint's documentation recommends (one FontConfiguration and one parsed
CSS reused, default URL fetcher, same PDF variant). Target: full <= 1.10 x bare.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import date

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from app import create_app
from app.letters import letter_pdf
from app.letters.model import letter_from_answers
from app.letters.pdf import BASE_URL, PDF_VARIANT
from app.letters.photo import prepare_photo
from app.letters.render import LETTER_TEMPLATES, render_letter_html

from .load import REASON, typical_photo
from .machine import describe, exit_status
from .server import BENCH_SECRET

DETAILS = {"full_name": "Maria Müller-Łęcka", "email": "maria@example.com", "street": "Hauptstraße 12",
           "postcode": "10115", "city": "Berlin", "country": "DE", "profile_urls": "https://example.org/maria"}
CASES = {
    "shortest letter (access)": {"request-type": {"request_type": "access"}},
    "longest letter (both, with objection)": {
        "request-type": {"request_type": "both"},
        "erasure-grounds": {"grounds": ["unlawful-biometric", "objection"], "objection_reason": REASON}},
}


def answers_for(case: dict) -> dict:
    return {"company": {"company": "clearview-ai"}, "your-details": DETAILS, **case}


def measure(app, answers: dict, photo, runs: int) -> dict:
    registry = app.extensions["facerights.registry"]
    font_config = FontConfiguration()
    stylesheet = CSS(filename=str(LETTER_TEMPLATES / "letter.css"), font_config=font_config)

    def full():
        letter = letter_from_answers(answers, registry, language="en", today=date(2026, 11, 29),
                                     reference="FR-20261129-BENCH1", photo=photo)
        return letter_pdf(letter)

    letter = letter_from_answers(answers, registry, language="en", today=date(2026, 11, 29),
                                 reference="FR-20261129-BENCH1", photo=photo)
    html = render_letter_html(letter)

    def bare():
        return HTML(string=html, base_url=BASE_URL).write_pdf(stylesheets=[stylesheet], font_config=font_config,
                                                              pdf_variant=PDF_VARIANT)

    for _ in range(3):  # warm both paths
        full(), bare()
    full_times, bare_times = [], []
    for _ in range(runs):
        for function, times in ((full, full_times), (bare, bare_times)):
            started = time.perf_counter()
            pdf = function()
            times.append(time.perf_counter() - started)
    from pypdf import PdfReader
    import io
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    full_median, bare_median = statistics.median(full_times), statistics.median(bare_times)
    return {"pages": pages, "full_ms": round(1000 * full_median, 1), "bare_ms": round(1000 * bare_median, 1),
            "ratio": round(full_median / bare_median, 3)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args(argv)
    app = create_app({"SECRET_KEY": BENCH_SECRET})
    photo_bytes = typical_photo()
    report = {"machine": describe(), "runs": args.runs, "cases": {}}
    with app.test_request_context():
        photo = prepare_photo(photo_bytes)
        for name, case in CASES.items():
            for with_photo in (False, True):
                label = f"{name}, {'with' if with_photo else 'without'} photo"
                report["cases"][label] = measure(app, answers_for(case), photo if with_photo else None, args.runs)
                print(label, report["cases"][label], file=sys.stderr)
    print(json.dumps(report, indent=2))
    return exit_status([f"{label}: full path {figures['ratio']} x bare render"
                        for label, figures in report["cases"].items() if figures["ratio"] > 1.10])


if __name__ == "__main__":
    sys.exit(main())
