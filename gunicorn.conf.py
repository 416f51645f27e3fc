"""Production server settings: `gunicorn --config gunicorn.conf.py wsgi:app`.

Process workers, not threads: WeasyPrint's layout runs under the GIL, and a
FontConfiguration must not be shared between threads.
"""
import multiprocessing
import os

bind = os.environ.get("FACERIGHTS_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("FACERIGHTS_WORKERS", multiprocessing.cpu_count()))
worker_class = "sync"
# A letter renders in well under a second; a render that takes longer is killed.
timeout = 20
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then, as a backstop against slow native memory growth
# (measured flat: see docs/OPERATIONS.md). A visit is about ten requests.
max_requests = 50000
max_requests_jitter = 5000
# Load the app (registry, templates, fonts) once in the master, then fork.
preload_app = True
# The encrypted state cookie can be up to ~12 KB for very long answers.
limit_request_field_size = 16384
# No control socket: the app needs no runtime management, and it would be a file in $HOME.
control_socket_disable = True
# Access log without query strings or bodies: URLs never carry personal data.
accesslog = "-"
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("FACERIGHTS_LOG_LEVEL", "info")


def post_fork(server, worker):
    # Each worker builds its own FontConfiguration and parsed stylesheet, and
    # renders one sample letter, before its first request.
    from app.letters import warm_up
    warm_up(server.app.wsgi())
