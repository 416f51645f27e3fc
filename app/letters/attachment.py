"""The one file a FaceRights letter embeds, read back from an uploaded PDF at a bounded cost.

An uploaded PDF is a stranger's file, and a few kilobytes of PDF can hold gigabytes of
compressed zeros. So nothing here asks pypdf to decode a stream it does not have to:

- the catalog's name tree of embedded files is walked by hand, and must be the flat list of
  at most a few entries our letters write (no /Kids), with exactly one entry of our name;
- the embedded file's raw stream must be short, with no filter or one /FlateDecode and no
  parameters, and it is inflated with a cap just past the record's maximum size;
- the objects pypdf must still decode to reach it (compressed object streams) are decoded
  under a configuration whose limits are those of a letter, not pypdf's 75 MB defaults, and
  only the few objects the way to it passes are parsed out of them (pypdf would parse every
  object of such a stream first: in a letter, its whole tagged structure);
- encrypted PDFs are refused (ours never are) before anything is decrypted.

Every failure is an AttachmentError with a reason the pages and the command line turn into a
message. The reader's object graph holds reference cycles: it is collected before returning,
so that a refused upload leaves no memory behind in the worker.
"""
from __future__ import annotations

import gc
import io
import logging
import zlib

from pypdf import PdfReader
from pypdf._configuration import apply_configuration
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject, read_object

from ..case.record import ATTACHMENT_NAME, MAX_RECORD_BYTES, RecordError, parse

# The letters write one entry; a complaint's annex adds none. A few more are tolerated.
MAX_NAME_TREE_ENTRIES = 8
# Limits for the objects pypdf decodes on the way (the catalog, the name tree, the file
# specification, inside compressed object streams): far above what a letter holds, far below
# pypdf's defaults.
_READER_LIMITS = dict(
    maximum_declared_stream_length=2 * 1024 * 1024,
    array_based_stream_maximum_output_length=2 * 1024 * 1024,
    zlib_maximum_output_length=2 * 1024 * 1024,
    lzw_maximum_output_length=2 * 1024 * 1024,
    run_length_maximum_output_length=2 * 1024 * 1024,
    brotli_maximum_output_length=2 * 1024 * 1024,
    jbig2_maximum_output_length=0,
    jbig2dec_binary=None,
    stream_filters_maximum_length=1,
    stream_decoding_work_maximum_length=4 * 1024 * 1024,
    array_maximum_element_count=10_000,
    dictionary_maximum_element_count=1_000,
)


class AttachmentError(Exception):
    """Why a PDF gave no attachment: "damaged", "encrypted", "foreign" (none of ours) or "too-large"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def read_attachment(pdf: bytes, name: str, max_bytes: int) -> bytes:
    """The content of the embedded file ``name`` (at most ``max_bytes`` once inflated)."""
    if not pdf.lstrip()[:5] == b"%PDF-":
        raise AttachmentError("damaged")
    # pypdf logs warnings about broken files; a stranger's PDF must not fill the logs.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        with apply_configuration(**_READER_LIMITS):
            return _embedded_file(PdfReader(io.BytesIO(pdf), strict=False), name, max_bytes)
    except AttachmentError:
        raise
    except Exception:  # noqa: BLE001  pypdf raises many kinds of error (RecursionError too) on a damaged file
        raise AttachmentError("damaged") from None
    finally:
        # pypdf's objects point at each other: free them now, not at some later collection.
        gc.collect()


def _embedded_file(reader: PdfReader, name: str, max_bytes: int) -> bytes:
    if reader.is_encrypted:
        raise AttachmentError("encrypted")
    catalog = _resolved(reader, reader.trailer.get("/Root"))
    names = _dictionary(reader, catalog, "/Names")
    files = _dictionary(reader, names, "/EmbeddedFiles")
    if files is None or "/Kids" in files:
        raise AttachmentError("foreign")
    entries = _resolved(reader, files.get("/Names"))
    if not isinstance(entries, ArrayObject) or len(entries) % 2 or len(entries) > 2 * MAX_NAME_TREE_ENTRIES:
        raise AttachmentError("foreign")
    ours = [entries[index + 1] for index in range(0, len(entries), 2) if entries[index] == name]
    if len(ours) != 1:
        raise AttachmentError("foreign")
    specification = _resolved(reader, ours[0])
    stream = _dictionary(reader, _dictionary(reader, specification, "/EF"), "/F")
    if not isinstance(stream, StreamObject):
        raise AttachmentError("foreign")
    return _inflate(stream, max_bytes)


def _dictionary(reader: PdfReader, parent, key: str):
    """``parent[key]`` resolved, when it is a dictionary (or a stream); else None."""
    if not isinstance(parent, DictionaryObject):
        return None
    value = _resolved(reader, parent.get(key))
    return value if isinstance(value, DictionaryObject) else None


def _resolved(reader: PdfReader, value):
    """``value``, or the object it refers to. An object kept in a compressed object stream is parsed
    alone: pypdf's get_object() parses every object of that stream, which in a letter is the whole
    tagged structure (60 ms for a six-page letter, against its one dictionary)."""
    if not isinstance(value, IndirectObject):
        return value
    place = reader.xref_objStm.get(value.idnum)
    if place is None:
        return value.get_object()  # an object of its own in the file: pypdf reads just that one
    objects = reader.get_object(place[0])  # the object stream, itself an object of its own
    if not isinstance(objects, StreamObject) or objects.get("/Type") != "/ObjStm":
        raise AttachmentError("damaged")
    first = objects.get("/First")
    data = objects.get_data()  # decoded under the letter's limits (_READER_LIMITS)
    if not isinstance(first, int) or not 0 <= first <= len(data):
        raise AttachmentError("damaged")
    # The stream begins with pairs "object-number offset", then the objects from /First on.
    header = data[:first].split()
    offsets = dict(zip(header[0::2], header[1::2]))
    offset = offsets.get(str(value.idnum).encode())
    if offset is None or not offset.isdigit():
        raise AttachmentError("damaged")
    found = io.BytesIO(data)
    found.seek(first + int(offset))
    return read_object(found, reader)


def _inflate(stream: StreamObject, max_bytes: int) -> bytes:
    """The stream's bytes from its raw data: no filter, or one /FlateDecode without parameters."""
    raw = stream._data  # the bytes as stored in the file, not decoded
    if not isinstance(raw, bytes) or len(raw) > max_bytes:
        raise AttachmentError("too-large")
    filters = stream.get("/Filter")
    filters = filters.get_object() if filters is not None else None
    if isinstance(filters, ArrayObject):
        filters = filters[0] if len(filters) == 1 else "several"
    if filters is None:
        return raw
    if filters != "/FlateDecode" or "/DecodeParms" in stream:
        raise AttachmentError("foreign")
    inflater = zlib.decompressobj()
    try:
        data = inflater.decompress(raw, max_bytes + 1)
    except zlib.error:
        raise AttachmentError("damaged") from None
    if len(data) > max_bytes or inflater.unconsumed_tail:
        raise AttachmentError("too-large")
    return data


def read_record(pdf: bytes, max_bytes: int) -> dict:
    """The case record inside an uploaded letter of at most ``max_bytes``, parsed and upgraded
    (app/case/record.py); RecordError with the reason if there is none we can use."""
    if len(pdf) > max_bytes:
        raise RecordError("too-large")
    try:
        data = read_attachment(pdf, ATTACHMENT_NAME, MAX_RECORD_BYTES)
    except AttachmentError as error:
        # An attachment of our name that is too large is not one of ours.
        raise RecordError("foreign" if error.reason == "too-large" else error.reason) from None
    return parse(data)
