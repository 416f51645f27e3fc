"""Every benchmark in bench/ still runs on today's code: each one, with its smallest settings (--smoke),
completes and prints its JSON. No timing is asserted here (timings live in the benchmarks: exit
status 1 means a target was missed, which a shared test machine may well do)."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = sorted(path.stem for path in (ROOT / "bench").glob("*.py")
                    if 'if __name__ == "__main__":' in path.read_text())


def test_every_runnable_module_in_bench_is_a_benchmark_found_here():
    assert {"overhead", "throughput", "memory", "startup", "size", "photo_cost", "load_and_fault", "followup",
            "several", "journey"} <= set(BENCHMARKS)


@pytest.mark.parametrize("name", BENCHMARKS)
def test_benchmark_runs_and_prints_its_json(name):
    run = subprocess.run([sys.executable, "-m", f"bench.{name}", "--smoke"], cwd=ROOT, capture_output=True,
                         text=True, timeout=300)
    assert "Traceback" not in run.stderr, run.stderr[-3000:]
    assert run.returncode in (0, 1), (run.returncode, run.stderr[-3000:])
    report = json.loads(run.stdout)
    assert report["machine"]["commit"] and report["machine"]["weasyprint"]
    # Exit status 1 must come with the targets it missed, and 0 with none.
    missed = [line for line in run.stderr.splitlines() if line.startswith("TARGET MISSED: ")]
    assert bool(missed) == (run.returncode == 1), run.stderr[-3000:]
