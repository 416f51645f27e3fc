"""Read a systemd environment file (EnvironmentFile=, such as /etc/facerights/facerights.env) the way
systemd does, so that a command run by hand gets exactly the settings the instances get: a shell
cannot source that file (unquoted JSON such as {"en": "..."} is not shell syntax).

`python -m app.host.envfile FILE [COMMAND ...]` runs a `flask --app wsgi` command with those settings
(scripts/facerights is the wrapper a host uses); `--version` prints the version.
"""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path

_DOUBLE_QUOTED_ESCAPE = re.compile(r'\\(["\\`$])')


def parse_environment_file(text: str) -> dict[str, str]:
    """KEY=VALUE lines. Empty lines, lines starting with # or ;, and lines without = are ignored; a
    backslash at the end of a line joins the next one; whitespace around the value is removed; one
    pair of quotes around the value is removed ("..." also undoes \\" \\\\ \\` \\$)."""
    settings = {}
    for line in text.replace("\\\n", "").splitlines():
        line = line.strip()
        if not line or line[0] in "#;" or "=" not in line:
            continue
        name, _, value = line.partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = _DOUBLE_QUOTED_ESCAPE.sub(r"\1", value[1:-1])
        elif len(value) >= 2 and value[0] == value[-1] == "'":
            value = value[1:-1]
        settings[name.strip()] = value
    return settings


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python -m app.host.envfile FILE [--version | flask command ...]", file=sys.stderr)
        return 2
    path, *command = argv
    try:
        os.environ.update(parse_environment_file(Path(path).read_text(encoding="utf-8")))
    except OSError as error:
        print(f"cannot read the settings in {path}: {error.strerror}", file=sys.stderr)
        return 2
    if command == ["--version"]:
        from ..version import VERSION
        print(f"FaceRights {VERSION}")
        return 0
    from flask.cli import main as flask
    sys.argv = ["flask", "--app", "wsgi", *command]
    flask()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
