"""Benchmark 7: after the letter. Continuing a request from its PDF, a follow-up letter, a complaint
with the request as its annex.

    .venv/bin/python -m bench.followup [--runs 20] [--smoke]

A visitor downloads the longest letter (bench/reference.py); a new visitor uploads that PDF on
"Continue a request", says it was sent by email on the letter's day and, six weeks later by the
app's clock, that the company has not answered, then downloads the reminder (/after/letter) and the
complaint to their authority (/complaint, whose PDF carries the request again as its annex). In one
process, alternating run by run (CPU time, medians):

- continue: POST /continue with the letter (read in memory, its answers checked by the wizard's forms);
- follow-up: POST /after/letter, the reminder, which encloses the request; complaint: POST /complaint,
  complaint and annex;
- bare: WeasyPrint's render of the very HTML of each document (bench/reference.py), the same way as the
  letter's.

Targets, as for the first letter (bench.overhead): a follow-up letter costs at most 1.10 x the bare
renders of itself and of its enclosure, a complaint at most 1.10 x the bare renders of itself and of
its annex; reading an uploaded letter, which makes no PDF, at most 0.5 x the bare render of that letter.
"""
from __future__ import annotations

import json
import re
import sys
from datetime import date, timedelta

from app.case.timeline import Clock

from .machine import describe, exit_status
from .reference import (LONGEST, Bare, alternating, bench_app, date_boxes, ms, options, pdf_pages,
                        watching_weasyprint)
from .wizard_client import InProcessClient, multipart, with_changes

TARGETS = {"continue_vs_bare_letter": 0.5, "follow_up_vs_bare": 1.10, "complaint_vs_bare_with_annex": 1.10}


def posting(client: InProcessClient, path: str, expected: int, files: dict | None = None):
    """A function that posts the page's form as it is now (one GET first, then only the POST)."""
    body, content_type = multipart(with_changes(client.form(path), {}), files or {})

    def post():
        reply = client.request("POST", path, body, content_type)
        if reply.status != expected:
            raise AssertionError(f"POST {path}: {reply.status}, not {expected}")
        return reply
    return post


def title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.DOTALL).group(1)


def main(argv=None) -> int:
    args = options(__doc__, runs=20, smoke="one run of each", argv=argv)
    app, bare = bench_app(), Bare()

    with watching_weasyprint() as first:
        letter = LONGEST.visit(app).download()
    # The reminder is for a letter whose period has run: the visitor comes back six weeks after sending it.
    sent_day = date.today()
    app.extensions["facerights.clock"] = Clock(fixed=sent_day + timedelta(weeks=6))
    visitor = InProcessClient(app=app)
    first_question = visitor.continue_with(letter.body).location
    # Another visitor uploads again and again: each upload starts the questions afresh.
    continue_request = posting(InProcessClient(app=app), "/continue", 302,
                               {"letter": ("letter.pdf", "application/pdf", letter.body)})
    with watching_weasyprint() as follow_up_letter:
        follow_up = visitor.follow_up(first_question, {"/after/sent": {**date_boxes("sent", sent_day.isoformat()), "channel": "email"},
                                                       "/after/situation": {"situation": "no-answer"}})
    with watching_weasyprint() as complaint_letters:
        complaint = visitor.complaint()
    for name, reply in (("letter", letter), ("follow-up", follow_up), ("complaint", complaint)):
        if reply.status != 200 or not reply.body.startswith(b"%PDF-"):
            raise AssertionError(f"{name}: {reply.status}")
    # The complaint renders itself and the request again for its annex: the annex has the request's title.
    request_title = title(first.html[0])
    annex_html = next(html for html in complaint_letters.html if title(html) == request_title)
    complaint_html = next(html for html in complaint_letters.html if title(html) != request_title)
    # The reminder renders itself and the request it encloses.
    enclosure_html = next(html for html in follow_up_letter.html if title(html) == request_title)
    follow_up_html = next(html for html in follow_up_letter.html if title(html) != request_title)

    medians = alternating({
        "continue": continue_request,
        "bare_letter": lambda: bare.same_html(first.html[0]),
        "follow_up": posting(visitor, "/after/letter", 200, files={}),
        "follow_up_bare": lambda: bare.same_html(follow_up_html),
        "enclosure_bare": lambda: bare.same_html(enclosure_html),
        "complaint": posting(visitor, "/complaint", 200),
        "complaint_bare": lambda: bare.same_html(complaint_html),
        "annex_bare": lambda: bare.same_html(annex_html),
    }, args.runs, args.warm_up)
    report = {"machine": describe(), "runs": args.runs, "targets": TARGETS,
              "pages": {"letter": pdf_pages(letter.body), "follow_up": pdf_pages(follow_up.body),
                        "complaint_with_annex": pdf_pages(complaint.body)},
              "layouts": {"follow_up": follow_up_letter.layouts, "complaint": complaint_letters.layouts},
              **{f"{name}_ms": ms(value) for name, value in medians.items()},
              "continue_vs_bare_letter": round(medians["continue"] / medians["bare_letter"], 3),
              "follow_up_vs_bare": round(medians["follow_up"] / (medians["follow_up_bare"] + medians["enclosure_bare"]), 3),
              "complaint_vs_bare_with_annex": round(
                  medians["complaint"] / (medians["complaint_bare"] + medians["annex_bare"]), 3),
              # What joining the two PDFs and the rest of the request cost beyond the two renders.
              "complaint_beyond_renders_ms": ms(medians["complaint"] - medians["complaint_bare"]
                                                - medians["annex_bare"])}
    print(json.dumps(report, indent=2))
    return exit_status([f"{name} {report[name]} (target {limit})" for name, limit in TARGETS.items()
                        if report[name] > limit])


if __name__ == "__main__":
    sys.exit(main())
