"""Benchmark 3: memory of one worker across many letters.

    .venv/bin/python -m bench.memory [--letters 2000] [--warm-up 100] [--smoke]

One gunicorn worker on loopback; WARM_UP letters to warm up, then LETTERS more from
4 clients (access letters, no photo), sampling the worker's RSS every 2 s.
Targets: growth after warm-up under 5 MB, and under 150 MB in total.
"""
from __future__ import annotations

import argparse
import json
import sys
import threading

from .load import LoadResult, client_loop, new_visitor
from .machine import describe, exit_status, rss_mb, worker_pids
from .server import production_server


def letters_from(port: int, clients: int, total: int) -> LoadResult:
    """Exactly TOTAL letters, shared by CLIENTS threads."""
    import random
    import time
    remaining = [total]
    lock = threading.Lock()
    result = LoadResult()

    def work(seed):
        visitor, _ = new_visitor(port, random.Random(seed), "letters", None)
        token = visitor.token("/download")
        while True:
            with lock:
                if remaining[0] <= 0:
                    return
                remaining[0] -= 1
            reply = visitor.download(token=token)
            with lock:
                if reply.status == 200:
                    result.letters += 1
                else:
                    result.failures.append(str(reply.status))

    started = time.monotonic()
    threads = [threading.Thread(target=work, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.monotonic() - started
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--letters", type=int, default=2000)
    parser.add_argument("--warm-up", type=int, default=100)
    parser.add_argument("--smoke", action="store_true", help="4 letters after 2: does it still work?")
    args = parser.parse_args(argv)
    if args.smoke:
        args.letters, args.warm_up = 4, 2
    report = {"machine": describe(), "letters": args.letters, "warm_up_letters": args.warm_up}
    with production_server(workers=1, extra_env={"FACERIGHTS_RATELIMIT_ENABLED": "false"}) as (port, process):
        worker = worker_pids(process.pid)[0]
        report["rss_at_start_mb"] = round(rss_mb(worker), 1)
        letters_from(port, 4, args.warm_up)
        report["rss_after_warm_up_mb"] = after_warm_up = round(rss_mb(worker), 1)
        samples = []
        stop = threading.Event()
        sampler = threading.Thread(target=lambda: [samples.append(rss_mb(worker)) for _ in iter(lambda: stop.wait(2), True)])
        sampler.start()
        result = letters_from(port, 4, args.letters)
        stop.set()
        sampler.join()
        report["rss_at_end_mb"] = end = round(rss_mb(worker), 1)
        report["rss_max_mb"] = round(max(samples + [end]), 1)
        report["growth_mb"] = round(end - after_warm_up, 1)
        report["failed"] = len(result.failures)
        report["letters_per_second"] = round(result.letters / result.seconds, 1)
        report["same_worker_throughout"] = worker_pids(process.pid) == [worker]
        report["rss_samples_mb"] = [round(sample, 1) for sample in samples]
    print(json.dumps(report, indent=2))
    problems = []
    if report["growth_mb"] >= 5:
        problems.append(f"grew {report['growth_mb']} MB")
    if report["rss_max_mb"] >= 150:
        problems.append(f"reached {report['rss_max_mb']} MB")
    if report["failed"] or not report["same_worker_throughout"]:
        problems.append("failures or a recycled worker")
    return exit_status(problems)


if __name__ == "__main__":
    sys.exit(main())
