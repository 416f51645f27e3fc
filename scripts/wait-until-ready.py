"""Wait until a FaceRights instance answers /healthz with 200, for at most SECONDS (default 60).

    /usr/bin/python3 scripts/wait-until-ready.py 127.0.0.1:8001 [SECONDS]

The systemd unit runs it as ExecStartPost=, so that `systemctl restart facerights@8001` returns only
when the instance serves visitors (and fails when it never does); scripts/rolling-restart.sh relies
on that before it restarts the next instance. Standard library only: it runs before, and without,
the virtual environment.
"""
import sys
import time
import urllib.error
import urllib.request


def ready(address: str) -> bool:
    try:
        with urllib.request.urlopen(f"http://{address}/healthz", timeout=5) as answer:
            return answer.status == 200
    except (urllib.error.URLError, OSError):
        return False


def main(argv: list[str]) -> int:
    if not 1 <= len(argv) <= 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    address, seconds = argv[0], float(argv[1]) if len(argv) > 1 else 60.0
    deadline = time.monotonic() + seconds
    while not ready(address):
        if time.monotonic() > deadline:
            print(f"FaceRights on {address} did not answer /healthz within {seconds:g} s", file=sys.stderr)
            return 1
        time.sleep(0.5)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
