"""Hostile PDFs of the kinds the security review built against "Continue a request" (G1, G2, F16).

Written by hand, byte by byte, so that each file is exactly the attack: no library would write
most of them. Used by the tests (tests/test_upload_bounds.py) and by bench/hostile_uploads.py.
"""
from __future__ import annotations

import io
import json
import zlib

NAME = b"facerights-answers.json"


def _object(number: int, body: bytes) -> bytes:
    return b"%d 0 obj\n%s\nendobj\n" % (number, body)


def embedded_stream(data: bytes, layers: int = 0, declared_length: int | None = None) -> bytes:
    """An /EmbeddedFile stream of ``data`` compressed ``layers`` times with /FlateDecode."""
    for _ in range(layers):
        data = zlib.compress(data, 9)
    filters = b"/Filter [" + b"/FlateDecode " * layers + b"]" if layers else b""
    length = len(data) if declared_length is None else declared_length
    return b"<< /Type /EmbeddedFile /Length %d %s >>\nstream\n%s\nendstream" % (length, filters, data)


def build(entries: list[tuple[bytes, bytes]], *, catalog_extra: bytes = b"", kids: bool = False,
          pages: int = 1, xref_loop: bool = False) -> bytes:
    """A PDF whose catalog names ``entries`` (name, stream object body) as embedded files.
    ``kids``: the name tree splits into a /Kids node; ``pages``: the page tree lists one page that
    many times; ``xref_loop``: the trailer's /Prev points back at its own cross-reference table."""
    objects = [b"", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b"3 0 R " * pages, pages),
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"]
    names = []
    for name, stream in entries:
        objects.append(stream)
        objects.append(b"<< /Type /Filespec /F (%s) /EF << /F %d 0 R >> >>" % (name, len(objects)))
        names.append(b"(%s) %d 0 R" % (name, len(objects)))
    tree = b"<< /Names [%s] >>" % b" ".join(names)
    if kids:
        objects.append(tree)
        tree = b"<< /Kids [%d 0 R] >>" % len(objects)
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles %s >> %s >>" % (tree, catalog_extra)
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += _object(number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    previous = b" /Prev %d" % xref if xref_loop else b""
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, previous, xref)
    return bytes(out)


def genuine_record(letter_pdf: bytes) -> bytes:
    """The record a real letter carries, read with pypdf (trusted input: our own letter)."""
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(letter_pdf)).attachments[NAME.decode()][0]


def g1_bomb(record: bytes, bombs: int = 16, megabytes: int = 74) -> bytes:
    """The review's G1 file: the real record, then ``bombs`` entries of the same name, each
    ``megabytes`` of zeros behind two layers of /FlateDecode (about 250 bytes each)."""
    zeros = b"\0" * (megabytes * 1_000_000)
    bomb = embedded_stream(zeros, layers=2)
    return build([(NAME, embedded_stream(record))] + [(NAME, bomb)] * bombs)


def single_bomb(layers: int, megabytes: int = 74) -> bytes:
    """One entry of our name that inflates to ``megabytes`` of zeros through ``layers`` of /FlateDecode."""
    return build([(NAME, embedded_stream(b"\0" * (megabytes * 1_000_000), layers=layers))])


def nested_record(depth: int) -> bytes:
    """G2: a record of the right format whose content nests ``depth`` objects deep."""
    text = '{"format":"facerights-answers","version":1,"x":' + '{"a":' * depth + "1" + "}" * (depth + 1)
    return build([(NAME, embedded_stream(text.encode()))])


def deep_catalog(depth: int) -> bytes:
    """Arrays nested ``depth`` deep inside the catalog."""
    return build([(NAME, embedded_stream(b"{}"))], catalog_extra=b"/Deep " + b"[" * depth + b"]" * depth)


def huge_page_tree(pages: int) -> bytes:
    return build([(NAME, embedded_stream(b"{}"))], pages=pages)


def xref_loop() -> bytes:
    return build([(NAME, embedded_stream(b"{}"))], xref_loop=True)


def name_tree_with_kids(record: bytes) -> bytes:
    return build([(NAME, embedded_stream(record))], kids=True)


def record_with(record: dict) -> bytes:
    """A PDF carrying ``record`` as our attachment, uncompressed."""
    return build([(NAME, embedded_stream(json.dumps(record).encode()))])


def encrypted(letter_pdf: bytes, user_password: str = "secret") -> bytes:
    """A real letter encrypted with AES-256 (an empty ``user_password`` opens without asking)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(letter_pdf)))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-256")
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def review_kinds(record: bytes, letter_pdf: bytes) -> dict[str, bytes]:
    """One file of each kind the review tried, by name (for the benchmark's rounds)."""
    return {
        "g1-bomb-16": g1_bomb(record, 16),
        "flate-16-layers": single_bomb(layers=16, megabytes=8),
        "deep-nesting-json": nested_record(5000),
        "deep-nesting-catalog": deep_catalog(20_000),
        "huge-page-tree": huge_page_tree(150_000),
        "xref-loop": xref_loop(),
        "name-tree-kids": name_tree_with_kids(record),
        "encrypted": encrypted(letter_pdf),
        "encrypted-empty-password": encrypted(letter_pdf, user_password=""),
    }
