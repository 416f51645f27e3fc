"""Load and fault test of the production server (issue: safe to host).

    .venv/bin/python -m bench.load_and_fault [--clients 16] [--seconds 60] [--fault-seconds 30] [--warm-up 10]
                                             [--smoke]

Starts gunicorn (gunicorn.conf.py, workers = cores) on loopback, then:
1. load: CLIENTS concurrent visitors complete the wizard and download letters
   (a fifth with a phone-sized photo) for SECONDS after a warm-up; every PDF is
   parsed; each worker's memory is sampled every 2 s;
2. fault: the same load while one worker is killed with SIGKILL a third of the way in.
Prints the figures as JSON and exits 1 when a target is missed: zero failed
requests and zero invalid PDFs under load, flat worker memory after warm-up
(growth under 10 MB), and under the fault no more failures than requests in
flight on the killed worker (a sync worker serves one at a time), with the
server answering throughout. Rate limiting is switched off for the run: every
client shares the loopback address.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time

from .load import run_load, typical_photo
from .machine import describe, exit_status, rss_mb, worker_pids
from .server import production_server

NO_RATE_LIMIT = {"FACERIGHTS_RATELIMIT_ENABLED": "false"}


class MemorySampler(threading.Thread):
    def __init__(self, master_pid: int, every: float = 2.0):
        super().__init__(daemon=True)
        self.master_pid, self.every = master_pid, every
        self.samples: dict[int, list[float]] = {}
        self.stop = threading.Event()

    def run(self):
        while not self.stop.wait(self.every):
            for pid in worker_pids(self.master_pid):
                try:
                    self.samples.setdefault(pid, []).append(rss_mb(pid))
                except OSError:
                    pass

    def report(self) -> dict:
        return {str(pid): {"first_mb": round(values[0], 1), "max_mb": round(max(values), 1),
                           "last_mb": round(values[-1], 1), "growth_mb": round(values[-1] - values[0], 1)}
                for pid, values in self.samples.items() if len(values) >= 2}


def load_phase(port: int, master_pid: int, clients: int, seconds: float, photo: bytes, warm_up: float) -> dict:
    run_load(port, clients, warm_up, photo=photo, validate=False)  # warm-up: fonts, caches, first allocations
    sampler = MemorySampler(master_pid)
    sampler.start()
    result = run_load(port, clients, seconds, photo=photo, validate=True)
    sampler.stop.set()
    sampler.join()
    return {**result.summary(), "failures": result.failures[:10], "worker_memory": sampler.report()}


def fault_phase(port: int, master_pid: int, clients: int, seconds: float, photo: bytes) -> dict:
    outcome = {}
    runner = threading.Thread(target=lambda: outcome.update(result=run_load(port, clients, seconds, photo=photo)))
    runner.start()
    time.sleep(seconds / 3)
    victim = worker_pids(master_pid)[0]
    os.kill(victim, signal.SIGKILL)
    killed_at = time.monotonic()
    runner.join()
    result = outcome["result"]
    return {**result.summary(), "failures": result.failures[:10], "killed_worker": victim,
            "workers_after": len(worker_pids(master_pid)),
            "seconds_after_kill": round(time.monotonic() - killed_at, 1)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--fault-seconds", type=float, default=30)
    parser.add_argument("--warm-up", type=float, default=10)
    parser.add_argument("--smoke", action="store_true", help="2 clients for a few seconds: does it still work?")
    args = parser.parse_args(argv)
    if args.smoke:
        args.clients, args.seconds, args.fault_seconds, args.warm_up = 2, 3, 3, 1
    photo = typical_photo()
    report = {"machine": describe(), "clients": args.clients, "photo_bytes": len(photo)}
    with production_server(extra_env=NO_RATE_LIMIT) as (port, process):
        report["workers"] = len(worker_pids(process.pid))
        report["load"] = load_phase(port, process.pid, args.clients, args.seconds, photo, args.warm_up)
        report["fault"] = fault_phase(port, process.pid, args.clients, args.fault_seconds, photo)
    print(json.dumps(report, indent=2))

    load, fault = report["load"], report["fault"]
    problems = []
    if load["failed_requests"] or load["invalid_pdfs"]:
        problems.append("failures under load")
    if any(worker["growth_mb"] >= 10 for worker in load["worker_memory"].values()):
        problems.append("worker memory grew by 10 MB or more")
    if fault["failed_requests"] > 1:
        problems.append("more failures under the fault than requests in flight on the killed worker")
    if fault["workers_after"] != report["workers"]:
        problems.append("the killed worker was not replaced")
    return exit_status(problems)


if __name__ == "__main__":
    sys.exit(main())
