"""A full visit with sentinel values through the production server, logging at debug level:
afterwards no sentinel may be found in any log line, any file the server wrote, any cookie or
hidden field in readable form, or any URL."""
import base64
import io
import re
import time
from pathlib import Path

import pytest

from bench.server import ROOT, production_server
from bench.wizard_client import WizardClient

SENTINELS = {
    "full_name": "Zqxj Sentinelperson",
    "email": "sentinel-mail-8472@example.org",
    "street": "Sentinelweg 8472",
    "postcode": "S-84720",
    "city": "Sentinelstadt",
    "country": "AT",
    "profile_urls": "https://example.org/sentinel-profile-8472",
}
REASON = "Sentinel objection reason 8472: I was photographed without knowing it."
PHOTO_MARK = b"SentinelCam8472"


def sentinel_photo() -> bytes:
    from PIL import Image
    exif = Image.Exif()
    exif[0x010F] = PHOTO_MARK.decode()
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (180, 140, 120)).save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def readable_forms(text: str) -> list[bytes]:
    """A sentinel as it could appear: plain, URL-encoded, JSON-escaped."""
    from urllib.parse import quote, quote_plus
    return [text.encode(), quote(text).encode(), quote_plus(text).encode(),
            text.encode("unicode_escape")]


def all_needles() -> list[bytes]:
    values = [value for key, value in SENTINELS.items() if key != "country"] + [REASON]
    needles = [form for value in values for form in readable_forms(value)]
    return needles + [PHOTO_MARK]


def files_written_since(folder: Path, since: float) -> list[Path]:
    if not folder.exists():
        return []
    return [path for path in folder.rglob("*")
            if path.is_file() and not path.is_symlink() and path.stat().st_mtime >= since
            and ".git" not in path.parts]


def decoded_variants(value: str) -> list[bytes]:
    variants = [value.encode()]
    try:
        variants.append(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
    except ValueError:
        pass
    return variants


def test_a_visit_leaves_no_personal_data_behind(tmp_path):
    temp_dir = tmp_path / "server-tmp"
    temp_dir.mkdir()
    log_path = tmp_path / "server.log"
    started = time.time() - 1
    env = {"TMPDIR": str(temp_dir), "FACERIGHTS_LOG_LEVEL": "DEBUG", "FACERIGHTS_RATELIMIT_ENABLED": "true"}
    with production_server(workers=1, log_path=log_path, extra_env=env, extra_args=("--log-level", "debug")) as (port, _):
        client = WizardClient("127.0.0.1", port)
        reply = client.complete_wizard(SENTINELS, request_type="both", reason=REASON, photo=sentinel_photo())
        assert reply.status == 200 and reply.body.startswith(b"%PDF-")
        # A second download with a bad photo, so that an error path is logged too.
        bad = client.download(b"not an image " + PHOTO_MARK)
        assert bad.status == 400
    needles = all_needles()

    log = log_path.read_bytes()
    assert b'"POST /your-details" 302' in log, "the access log was written"
    assert b"[DEBUG]" in log, "the server logged at debug level"
    for needle in needles:
        assert needle not in log, needle

    for folder in (temp_dir, ROOT / "instance", ROOT, Path.home() / ".gunicorn"):
        for path in files_written_since(folder, started):
            if path == log_path:
                continue
            content = path.read_bytes()
            for needle in needles:
                assert needle not in content, (path, needle)

    for reply in client.replies:
        for name, value in reply.headers:
            if name.lower() == "set-cookie":
                for variant in decoded_variants(value.split(";")[0].split("=", 1)[1]):
                    for needle in needles:
                        assert needle not in variant, ("cookie", needle)
            if name.lower() == "location":
                for needle in needles:
                    assert needle not in value.encode(), ("redirect", needle)
        for hidden in re.findall(rb'type="hidden"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*type="hidden"', reply.body):
            for value in hidden:
                for needle in needles:
                    assert needle not in value, ("hidden field", needle)
