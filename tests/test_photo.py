"""The optional photo: only JPEG or PNG, metadata stripped, never kept."""
import io

import pytest
from PIL import Image

from app.letters.photo import MAX_PIXELS, PhotoError, prepare_photo
from conftest import page_text, pdf_text


def test_photo_is_reencoded_without_metadata_and_downscaled(app, sample_jpeg):
    with app.test_request_context():
        photo = prepare_photo(sample_jpeg)
    assert b"SentinelCam" in sample_jpeg and b"SentinelCam" not in photo.jpeg
    image = Image.open(io.BytesIO(photo.jpeg))
    assert image.format == "JPEG"
    assert not image.getexif()
    assert max(image.size) == 800


def test_png_with_transparency_is_accepted(app):
    buffer = io.BytesIO()
    Image.new("RGBA", (300, 400), (10, 20, 30, 0)).save(buffer, format="PNG")
    with app.test_request_context():
        assert prepare_photo(buffer.getvalue()).width == 300


@pytest.mark.parametrize("data, message", [
    (b"%PDF-1.7 not an image", "The photo must be a JPEG or PNG image."),
    (b"GIF89a\x01\x00\x01\x00", "The photo must be a JPEG or PNG image."),
    (b"\xff\xd8\xff\xe0 truncated jpeg", "The photo could not be read."),
])
def test_other_files_are_refused(app, data, message):
    with app.test_request_context(), pytest.raises(PhotoError) as error:
        prepare_photo(data)
    assert str(error.value).startswith(message)


@pytest.mark.parametrize("side", [8_000, 10_000, 20_000])
def test_decompression_bomb_is_refused_before_decoding(app, side):
    """64, 100 and 400 megapixels of one colour: PNGs of a few hundred kilobytes at most.
    (Pillow's own bomb check starts at 89 megapixels; ours at 50.)"""
    buffer = io.BytesIO()
    Image.new("1", (side, side)).save(buffer, format="PNG", optimize=True)
    assert side * side > MAX_PIXELS and len(buffer.getvalue()) < 2_000_000
    with app.test_request_context(), pytest.raises(PhotoError) as error:
        prepare_photo(buffer.getvalue())
    assert str(error.value) == "The photo is too large. Choose a photo of at most 50 megapixels."


def test_upload_in_the_wizard_reaches_the_letter(wizard, sample_jpeg):
    wizard.answer_all("access")
    response = wizard.download({"photo": (io.BytesIO(sample_jpeg), "me.jpg", "image/jpeg")})
    assert response.status_code == 200
    assert b"SentinelCam" not in response.data
    assert "I enclose a photograph of my face." in pdf_text(response.data)


def test_non_image_upload_is_a_field_error_and_keeps_the_answers(wizard):
    wizard.answer_all("access")
    response = wizard.download({"photo": (io.BytesIO(b"#!/bin/sh\nrm -rf /"), "me.jpg", "image/jpeg")})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert html.count("The photo must be a JPEG or PNG image.") == 2
    assert 'id="photo-error"' in html
    assert wizard.client.get("/check-answers").status_code == 200


def test_oversized_upload_is_a_friendly_413(wizard, app):
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    wizard.answer_all("access")
    response = post_multipart(wizard, "/download", b"\0" * (2 * 1024 * 1024))
    assert response.status_code == 413
    text = page_text(response.get_data(as_text=True))
    assert "The file is too large" in text and "smaller than 8 MB" in text


def test_photo_larger_than_the_photo_limit_is_a_field_error(wizard, app):
    app.config["MAX_PHOTO_BYTES"] = 1024 * 1024
    wizard.answer_all("access")
    response = post_multipart(wizard, "/download", b"\xff" * 1_500_000)
    assert response.status_code == 400
    assert response.get_data(as_text=True).count("The photo must be smaller than 1 MB.") == 2


def test_uploads_never_touch_the_disk(wizard, sample_jpeg, monkeypatch):
    import werkzeug.formparser

    def no_disk(*args, **kwargs):
        raise AssertionError("an upload was about to be written to a temporary file")

    monkeypatch.setattr(werkzeug.formparser, "SpooledTemporaryFile", no_disk)
    wizard.answer_all("access")
    big = sample_jpeg + b"\0" * 2_000_000  # over Werkzeug's 500 KB in-memory threshold
    response = post_multipart(wizard, "/download", big)
    assert response.status_code == 200
    assert "I enclose a photograph of my face." in pdf_text(response.data)


def post_multipart(wizard, path, photo: bytes):
    """A multipart body built here: the test client would spool a large one to a temporary file itself."""
    from conftest import csrf_token
    token = csrf_token(wizard.client.get(path).get_data(as_text=True))
    boundary = "----facerights-test-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"channels\"\r\n\r\nemail\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"me.jpg\"\r\n"
            f"Content-Type: image/jpeg\r\n\r\n").encode() + photo + f"\r\n--{boundary}--\r\n".encode()
    return wizard.client.post(path, data=body, content_type=f"multipart/form-data; boundary={boundary}")
