"""/healthz: 200 once the process has rendered its warm-up letter (the first /healthz renders it where
gunicorn's post-fork hook has not); no cookie, no limit. Loopback, Redis and the version: tests/test_hosting.py."""
from conftest import SECRET
from app import create_app
from app.health import warm_up_worker
from app.version import VERSION
from bench.server import production_server
from bench.wizard_client import WizardClient


def test_healthz_warms_up_then_answers_200_without_a_cookie(app, client):
    assert "facerights.ready" not in app.extensions
    warm = client.get("/healthz")
    assert app.extensions["facerights.ready"] is True
    assert warm.status_code == 200 and warm.get_data(as_text=True) == f"ok\nversion {VERSION}\n"
    assert "Set-Cookie" not in warm.headers
    assert warm.headers["Cache-Control"] == "no-store, max-age=0"


def test_healthz_is_not_rate_limited(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": SECRET, "COMPANIES_FOLDER": str(tmp_path),
                      "RATELIMIT_DEFAULT": "2 per minute"})
    warm_up_worker(app)
    client = app.test_client()
    assert [client.get("/").status_code for _ in range(3)] == [200, 200, 429]
    assert {client.get("/healthz").status_code for _ in range(10)} == {200}


def test_healthz_through_the_production_server_after_warm_up():
    with production_server(workers=1) as (port, _):
        reply = WizardClient("127.0.0.1", port).request("GET", "/healthz")
    assert reply.status == 200 and reply.body == f"ok\nversion {VERSION}\n".encode()


def test_a_warm_worker_keeps_what_it_holds_for_life_out_of_garbage_collections(app, monkeypatch):
    """After the warm-up, a full collection (one follows every upload) walks only what requests make."""
    import gc
    frozen = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))
    warm_up_worker(app)
    assert frozen == [True]
    warm_up_worker(app)  # once per process
    assert frozen == [True]
