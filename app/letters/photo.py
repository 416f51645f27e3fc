"""The optional face photo: decoded, checked, shrunk and re-encoded in memory.

Re-encoding drops every byte the camera added (EXIF, GPS position, thumbnails,
ICC profiles) and anything hidden after the image data.
"""
from __future__ import annotations

import base64
import io
import warnings
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG"}
# The default upload limit (MAX_PHOTO_BYTES in the configuration).
MAX_PHOTO_BYTES = 8 * 1024 * 1024
# A 40-megapixel phone photo is fine; a decompression bomb is not.
MAX_PIXELS = 50_000_000
# Enough to recognise a face on paper at about 6 cm wide.
LONGEST_SIDE = 800
JPEG_QUALITY = 82


TOO_LARGE = _l("The photo is too large. Choose a photo of at most 50 megapixels.")


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
        image = _decode(data)
        image = ImageOps.exif_transpose(image)  # keep the face upright once EXIF is gone
        image = image.convert("RGB")
        image.thumbnail((LONGEST_SIDE, LONGEST_SIDE), Image.Resampling.LANCZOS)
        output = io.BytesIO()
        image.save(output, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError(TOO_LARGE) from None
    except UnidentifiedImageError:
        raise PhotoError(_l("The photo must be a JPEG or PNG image.")) from None
    except (OSError, ValueError, SyntaxError, EOFError, TypeError):
        raise PhotoError(_l("The photo could not be read. Choose another JPEG or PNG image.")) from None
    return Photo(jpeg=output.getvalue(), width=image.width, height=image.height)


def _decode(data: bytes) -> Image.Image:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = Image.open(io.BytesIO(data), formats=sorted(ACCEPTED_FORMATS))
        if image.width * image.height > MAX_PIXELS:
            raise PhotoError(TOO_LARGE)
        # JPEG can be decoded at 1/2, 1/4 or 1/8 scale: a 12-megapixel photo then
        # costs a fraction of the time and memory, and is downscaled anyway.
        image.draft("RGB", (LONGEST_SIDE, LONGEST_SIDE))
        image.load()
    return image
