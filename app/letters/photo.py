"""The optional face photo: checked, decoded at bounded cost, shrunk and re-encoded in memory.

Only the pixels travel on: they are copied into a fresh image, so nothing the
camera, an editor or an attacker added to the file (EXIF, GPS position, XMP,
IPTC, ICC profiles, comments, text chunks, bytes after the image) can reach the
letter. The cost of decoding is bounded before any pixel is decoded: each side
and the pixel count are limited to what a face photo needs.
"""
from __future__ import annotations

import base64
import io
import warnings
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageFile, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG"}
# The default upload limit (MAX_PHOTO_BYTES in the configuration).
MAX_PHOTO_BYTES = 8 * 1024 * 1024
# A phone photo (12 or 16 megapixels) is fine; a face needs far fewer pixels. The
# limit bounds what a worker spends on decoding (see bench/photo_cost.py): a PNG
# has no reduced-scale decoding, and an RGBA PNG of 16 megapixels costs about 135 MB.
MAX_PIXELS = 16_000_000
# Pillow keeps one pointer per row: a 1 x 49,900,000 PNG cost a worker 1 GB.
MAX_SIDE = 10_000
# Enough to recognise a face on paper at about 6 cm wide.
LONGEST_SIDE = 800
JPEG_QUALITY = 82
# Rows converted to RGB at a time while shrinking: a full-size RGB copy of a large
# PNG would double the memory its decoding already took.
STRIP_ROWS = 256
# EXIF orientation -> the transposition that makes the face upright.
_UPRIGHT = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
            5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
            8: Image.Transpose.ROTATE_90}

TOO_LARGE = _l("The photo is too large. Choose a photo of at most %(pixels)d megapixels and at most "
               "%(side)d pixels wide and high.", pixels=MAX_PIXELS // 1_000_000, side=MAX_SIDE)
NOT_READABLE = _l("The photo could not be read. Choose another JPEG or PNG image.")


class PhotoError(Exception):
    """``message`` is a lazy translation, rendered in whatever language is active when shown."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)


@dataclass(frozen=True)
class Photo:
    jpeg: bytes
    width: int
    height: int

    @property
    def data_uri(self) -> str:
        return "data:image/jpeg;base64," + base64.b64encode(self.jpeg).decode("ascii")


def prepare_photo(data: bytes, max_bytes: int = MAX_PHOTO_BYTES) -> Photo:
    """Return the photo as a clean, downscaled JPEG, or raise PhotoError."""
    if len(data) > max_bytes:
        raise PhotoError(_l("The photo must be smaller than %(size)d MB.", size=max_bytes // (1024 * 1024)))
    try:
        with warnings.catch_warnings():
            # Pillow's warnings about a damaged file would reach the CLI's output and the logs.
            warnings.simplefilter("ignore")
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = _decode(data)
            orientation = _orientation(image)
            image = _small_rgb(image)
            if orientation in _UPRIGHT:  # keep the face upright once EXIF is gone
                image = image.transpose(_UPRIGHT[orientation])
            jpeg = _pixels_only_jpeg(image)
    except PhotoError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError(TOO_LARGE) from None
    except UnidentifiedImageError:
        raise PhotoError(_l("The photo must be a JPEG or PNG image.")) from None
    except Exception:
        # A hostile or damaged file makes Pillow raise almost anything (struct.error,
        # IndexError, ...): the person needs to know only that this file cannot be used.
        raise PhotoError(NOT_READABLE) from None
    return Photo(jpeg=jpeg, width=image.width, height=image.height)


def _decode(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data), formats=sorted(ACCEPTED_FORMATS))
    # The header gives the size: refuse before a single pixel is decoded.
    if image.width * image.height > MAX_PIXELS or max(image.size) > MAX_SIDE:
        raise PhotoError(TOO_LARGE)
    # JPEG can be decoded at 1/2, 1/4 or 1/8 scale: a 12-megapixel photo then
    # costs a fraction of the time and memory, and is downscaled anyway.
    image.draft("RGB", (LONGEST_SIDE, LONGEST_SIDE))
    # WeasyPrint lets Pillow fill a damaged or cut-off image with grey, for the whole
    # process; a photo sent to a company must be whole, so here a damaged file fails.
    previous, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        image.load()
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = previous
    return image


def _orientation(image: Image.Image) -> int | None:
    try:
        return image.getexif().get(0x0112)
    except Exception:
        return None  # unreadable EXIF: show the photo as stored


def _small_rgb(image: Image.Image) -> Image.Image:
    """An RGB image of at most LONGEST_SIDE: first reduced by a whole factor, strip by strip,
    to about twice that size, then resampled with Lanczos for a sharp result."""
    factor = max(image.size) // (2 * LONGEST_SIDE)
    small = _reduced_rgb(image, factor) if factor > 1 else image.convert("RGB")
    small.thumbnail((LONGEST_SIDE, LONGEST_SIDE), Image.Resampling.LANCZOS)
    return small


def _reduced_rgb(image: Image.Image, factor: int) -> Image.Image:
    width, height = image.size
    reduced = Image.new("RGB", (-(-width // factor), -(-height // factor)))
    rows = STRIP_ROWS // factor * factor or factor
    for top in range(0, height, rows):
        strip = image.crop((0, top, width, min(top + rows, height))).convert("RGB")
        reduced.paste(strip.reduce(factor), (0, top // factor))
    return reduced


def _pixels_only_jpeg(image: Image.Image) -> bytes:
    """Only the pixels, in a fresh image: no ``info`` (comment, ICC, EXIF, XMP...) is carried."""
    fresh = Image.frombytes("RGB", image.size, image.tobytes())
    output = io.BytesIO()
    fresh.save(output, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return output.getvalue()
