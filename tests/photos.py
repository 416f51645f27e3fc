"""Photos as cameras, editors and attackers make them, for the photo tests."""
from __future__ import annotations

import io
import struct

from PIL import Image
from PIL.PngImagePlugin import PngInfo

SENTINEL = "Sentinel-Owner-4711"

# What the re-encoded JPEG may contain: start, JFIF header, tables, frame, scan, end.
ALLOWED_MARKERS = {0xD8: "SOI", 0xE0: "APP0", 0xDB: "DQT", 0xC0: "SOF0", 0xC4: "DHT", 0xDA: "SOS", 0xD9: "EOI"}


def jpeg_markers(data: bytes) -> list[int]:
    """The marker segments of a JPEG, in order; entropy-coded data is skipped; trailing bytes are a 'marker' -1."""
    assert data[:2] == b"\xff\xd8"
    markers, position = [0xD8], 2
    while position < len(data):
        assert data[position] == 0xFF, f"no marker at {position}"
        marker = data[position + 1]
        if marker == 0xD9:
            markers.append(marker)
            if position + 2 < len(data):
                markers.append(-1)
            return markers
        length = struct.unpack(">H", data[position + 2:position + 4])[0]
        markers.append(marker)
        position += 2 + length
        if marker == 0xDA:  # scan data runs to the next marker that is not a stuffed 0xFF00 or a restart
            while not (data[position] == 0xFF and data[position + 1] not in (0x00, *range(0xD0, 0xD8))):
                position += 1
    return markers


def _insert_segment(jpeg: bytes, marker: int, payload: bytes) -> bytes:
    return jpeg[:2] + bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload + jpeg[2:]


def jpeg(size=(640, 480), **options) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (190, 150, 120)).save(buffer, format="JPEG", **options)
    return buffer.getvalue()


def png(image: Image.Image, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", **options)
    return buffer.getvalue()


def jpeg_with_metadata(kind: str, mark: str = SENTINEL) -> bytes:
    """A JPEG carrying ``mark`` in one kind of metadata (the kinds the security review lists)."""
    exif = Image.Exif()
    if kind == "exif":
        exif[0x013B] = mark  # Artist
        return jpeg(exif=exif)
    if kind == "gps":
        exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0), 0x1B: mark}  # GPSProcessingMethod
        return jpeg(exif=exif)
    if kind == "xmp":
        return jpeg(xmp=f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>{mark}</dc:creator></x:xmpmeta>'.encode())
    if kind == "iptc":  # Photoshop APP13 with an IPTC by-line (2:80)
        record = b"\x1c\x02\x50" + struct.pack(">H", len(mark)) + mark.encode()
        resource = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(record)) + record
        return _insert_segment(jpeg(), 0xED, b"Photoshop 3.0\x00" + resource)
    if kind == "icc":
        return jpeg(icc_profile=b"\x00\x00\x02\x00appl" + mark.encode() * 20)
    if kind == "comment":
        return jpeg(comment=mark)
    if kind == "trailing":
        return jpeg() + b"PK\x03\x04" + mark.encode()
    raise ValueError(kind)


def png_with_metadata(kind: str, mark: str = SENTINEL) -> bytes:
    info = PngInfo()
    if kind == "tEXt comment":
        info.add_text("comment", mark)
    elif kind == "iTXt comment":
        info.add_itxt("comment", mark, lang="en", tkey="Kommentar")
    elif kind == "zTXt comment":
        info.add_text("comment", mark, zip=True)
    elif kind == "tEXt author":
        info.add_text("Author", mark)
    else:
        raise ValueError(kind)
    return png(Image.new("RGBA", (300, 400), (10, 20, 30, 255)), pnginfo=info)


JPEG_METADATA = ["exif", "gps", "xmp", "iptc", "icc", "comment", "trailing"]
PNG_METADATA = ["tEXt comment", "iTXt comment", "zTXt comment", "tEXt author"]


def malformed_exif_jpeg(value_type: int = 2) -> bytes:
    """EXIF whose ResolutionUnit (a SHORT) is stored as ASCII (type 2) or UNDEFINED (7), next to an
    Orientation of 6: Pillow's exif_transpose raised struct.error re-writing it (review F6)."""
    entries = [(0x0112, 3, 1, struct.pack("<HH", 6, 0)), (0x0128, value_type, 4, b"abc\x00")]
    ifd = (struct.pack("<H", len(entries))
           + b"".join(struct.pack("<HHI", tag, kind, count) + value for tag, kind, count, value in entries)
           + struct.pack("<I", 0))
    return jpeg(size=(60, 40), exif=b"Exif\x00\x00II*\x00" + struct.pack("<I", 8) + ifd)
