"""Several letters uploaded at once ("Your requests", `status`): PDFs, or the ZIP of several letters.

A ZIP is a stranger's file like any upload, and a small one can inflate to gigabytes: only its
PDF entries are read, at most MAX_ZIP_LETTERS of them, each inflated with a cap of the letter
upload's size limit, so that the whole costs at most that many letters.
"""
from __future__ import annotations

import io
import zipfile

# A ZIP of letters holds one per company (six today) and an index.
MAX_ZIP_LETTERS = 12


class UploadError(Exception):
    """A file that holds no letter we can read: "damaged" (not a PDF or ZIP, or broken) or "too-large"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def letters_in(name: str, data: bytes, max_bytes: int) -> list[tuple[str, bytes]]:
    """The letters in one uploaded file, by name: the file itself, or the PDFs inside a ZIP."""
    if data.lstrip()[:5] == b"%PDF-":
        return [(name, data)]
    if not data.startswith(b"PK\x03\x04"):
        raise UploadError("damaged")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = [entry for entry in archive.infolist()
                       if entry.filename.lower().endswith(".pdf") and not entry.is_dir()]
            if not entries or len(entries) > MAX_ZIP_LETTERS:
                raise UploadError("damaged")
            return [(entry.filename, _read_capped(archive, entry, max_bytes)) for entry in entries]
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError, EOFError):
        raise UploadError("damaged") from None


def _read_capped(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, max_bytes: int) -> bytes:
    """An entry's bytes, inflating no more than ``max_bytes`` + 1 whatever its header claims."""
    with archive.open(entry) as member:
        data = member.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UploadError("too-large")
    return data
