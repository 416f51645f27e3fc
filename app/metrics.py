"""Campaign counts for the host, without personal data, on /metrics (Prometheus text format).

Off unless the host sets METRICS_TOKEN (FACERIGHTS_METRICS_TOKEN): then /metrics answers a
request that carries ``Authorization: Bearer <token>``, and 401 to any other; without the
setting there is no /metrics at all (404).

No label ever holds what a visitor typed, their name, address, reference or IP address:
every label value is taken from a fixed list (the registry's company slugs, the request
types, the configured languages, the wizard's page slugs, the form's field names, the kinds
of refusal below) and anything outside it is counted as "other".

Under gunicorn the counts of all workers are summed (prometheus_client's multiprocess mode:
gunicorn.conf.py sets PROMETHEUS_MULTIPROC_DIR, whose files hold only these counters).
Nothing is counted from views directly: the wizard's signals (app/wizard/signals.py) and
Flask's request_finished feed the counters.

Follow-up letters and complaints (app/followup/) are announced with ``follow_up_made`` and
counted as ``facerights_follow_ups_total{kind="follow-up"|"complaint", situation=...}``, the
situation taken from the fixed list of what a company can have done.
"""
from __future__ import annotations

import hmac
import os
from dataclasses import dataclass

from flask import Blueprint, Flask, Response, current_app, g, request, request_finished, session
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client import disable_created_metrics, multiprocess

from .followup.signals import follow_up_made
from .case.vocabulary import Situation, values
from .host.settings import SettingError
from .wizard.forms import REQUEST_TYPES, DownloadForm, EmptyForm
from .wizard.signals import form_refused, letter_made
from .followup.forms import ComplaintForm, ContinueForm, FollowUpDownloadForm, ManualForm, RequestsForm
from .followup.steps import STEPS as FOLLOW_UP_STEPS
from .wizard.steps import STEPS, STEPS_BY_SLUG

MIN_TOKEN_LENGTH = 32
OTHER = "other"
RENDER_BUCKETS = (0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 2.0, 5.0, 10.0)

# The page each wizard endpoint counts as in the funnel (a GET answered 200).
FUNNEL_ENDPOINTS = {"wizard.start": "start", "wizard.check_answers": "check-answers", "wizard.download": "download"}
# The page each form belongs to.
FORM_PAGES = {**{step.form: step.slug for step in STEPS}, DownloadForm: "download", EmptyForm: "delete-answers",
              # The journeys after the letter: each of their own forms is a page of its own.
              **{step.form: f"after/{step.slug}" for step in FOLLOW_UP_STEPS if step.store == "after"},
              ContinueForm: "continue", ManualForm: "continue/by-hand", FollowUpDownloadForm: "after/letter",
              ComplaintForm: "complaint", RequestsForm: "requests"}
# Refused requests by status code, as a kind.
REFUSED_STATUSES = {404: "not_found", 405: "method_not_allowed", 413: "too_large", 429: "rate_limited",
                    500: "server_error", 503: "unavailable"}

bp = Blueprint("metrics", __name__)


def allowed(value, allowed_values) -> str:
    return value if value in allowed_values else OTHER


@dataclass
class CampaignMetrics:
    registry: CollectorRegistry
    letters: Counter
    render_seconds: Histogram
    pages: Counter
    form_errors: Counter
    refused: Counter
    follow_ups: Counter

    @classmethod
    def build(cls) -> "CampaignMetrics":
        # No "_created" timestamps: on a quiet instance, the moment the first Greek erasure
        # letter to one company was made could point to one person.
        disable_created_metrics()
        multiprocess_folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
        registry = CollectorRegistry()
        if multiprocess_folder:
            # Every worker writes its own file; the registry reads and sums them all.
            multiprocess.MultiProcessCollector(registry, path=multiprocess_folder)
        own = None if multiprocess_folder else registry
        return cls(
            registry=registry,
            letters=Counter("facerights_letters", "Letters made, by company, request type and letter language.",
                            ["company", "request_type", "language"], registry=own),
            render_seconds=Histogram("facerights_letter_render_seconds", "Time to render one letter to PDF.",
                                     buckets=RENDER_BUCKETS, registry=own),
            pages=Counter("facerights_pages", "Wizard pages shown (a GET answered 200), by page: the funnel.",
                          ["page"], registry=own),
            form_errors=Counter("facerights_form_errors", "Refused form fields, by page and field name.",
                                ["page", "field"], registry=own),
            refused=Counter("facerights_refused", "Refused requests and inputs, by kind.", ["kind"], registry=own),
            follow_ups=Counter("facerights_follow_ups",
                               "Follow-up letters and complaints made, by what the company had done.",
                               ["kind", "situation"], registry=own),
        )


def _metrics(app: Flask) -> CampaignMetrics:
    return app.extensions["facerights.metrics"]


def count_letter(app: Flask, letter, render_seconds: float) -> None:
    metrics = _metrics(app)
    companies = {company.slug for company in app.extensions["facerights.registry"]}
    metrics.letters.labels(company=allowed(letter.company.slug, companies),
                           request_type=allowed(letter.request_type, REQUEST_TYPES),
                           language=allowed(letter.language, app.config["LANGUAGES"])).inc()
    metrics.render_seconds.observe(render_seconds)


def count_follow_up(app: Flask, letter) -> None:
    _metrics(app).follow_ups.labels(kind="complaint" if letter.is_complaint else "follow-up",
                                    situation=allowed(letter.situation, values(Situation))).inc()


def count_refused_form(app: Flask, form) -> None:
    metrics = _metrics(app)
    page = FORM_PAGES.get(type(form), OTHER)
    fields = set(form._fields)
    for name in form.errors:
        field = "_form" if name is None else allowed(name, fields)
        metrics.form_errors.labels(page=page, field=field).inc()
    metrics.refused.labels(kind="photo" if "photo" in form.errors else "form").inc()
    g.facerights_form_refused = True


def funnel_page() -> str | None:
    endpoint = request.endpoint
    if endpoint == "wizard.step":
        return allowed((request.view_args or {}).get("slug"), STEPS_BY_SLUG)
    return FUNNEL_ENDPOINTS.get(endpoint)


def count_response(app: Flask, response) -> None:
    metrics = _metrics(app)
    status = response.status_code
    if request.endpoint == "wizard.company_link" and status == 302:
        metrics.pages.labels(page="campaign-link").inc()
    elif request.method == "GET" and status == 200 and (page := funnel_page()):
        metrics.pages.labels(page=page).inc()
    if getattr(session, "rejected", False):
        metrics.refused.labels(kind="expired_answers").inc()
    if status in REFUSED_STATUSES:
        metrics.refused.labels(kind=REFUSED_STATUSES[status]).inc()
    elif 400 <= status < 500 and not g.get("facerights_form_refused"):
        metrics.refused.labels(kind="bad_request").inc()


def _on_letter_made(app, letter, render_seconds, **extra):
    if "facerights.metrics" in app.extensions:
        count_letter(app, letter, render_seconds)


def _on_follow_up_made(app, letter, **extra):
    if "facerights.metrics" in app.extensions:
        count_follow_up(app, letter)


def _on_form_refused(app, form, **extra):
    if "facerights.metrics" in app.extensions:
        count_refused_form(app, form)


def _on_request_finished(app, response, **extra):
    if "facerights.metrics" in app.extensions and request.blueprint not in ("metrics", "health"):
        count_response(app, response)


def token_matches(expected: str) -> bool:
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    # Constant time: how much of a guess was right must not show in the answer's timing.
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), expected.encode())


@bp.get("/metrics")
def metrics_page():
    if not token_matches(current_app.config["METRICS_TOKEN"]):
        return Response("A valid bearer token is needed.\n", 401, {"WWW-Authenticate": 'Bearer realm="metrics"'},
                        mimetype="text/plain")
    return Response(generate_latest(_metrics(current_app).registry), mimetype=CONTENT_TYPE_LATEST)


def check_token(token) -> None:
    """Part of the start-up check (app/host/startup.py)."""
    if token and len(str(token)) < MIN_TOKEN_LENGTH:
        raise SettingError("METRICS_TOKEN", f"must be at least {MIN_TOKEN_LENGTH} characters long")


def init_metrics(app: Flask) -> None:
    """Counts and serves /metrics only when the host set a METRICS_TOKEN."""
    token = app.config.get("METRICS_TOKEN")
    if not token:
        return
    check_token(token)
    app.config["METRICS_TOKEN"] = str(token)
    app.extensions["facerights.metrics"] = CampaignMetrics.build()
    # Module-level receivers: blinker keeps only weak references to them.
    letter_made.connect(_on_letter_made, app)
    follow_up_made.connect(_on_follow_up_made, app)
    form_refused.connect(_on_form_refused, app)
    request_finished.connect(_on_request_finished, app)
    app.register_blueprint(bp)
