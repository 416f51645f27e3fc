"""The optional photo: only JPEG or PNG, metadata stripped, never kept."""
import io

import pytest
from PIL import Image

from app.letters.photo import MAX_PIXELS, MAX_SIDE, PhotoError, prepare_photo
from conftest import csrf_token, page_text, pdf_text
from photos import (ALLOWED_MARKERS, JPEG_METADATA, PNG_METADATA, SENTINEL, jpeg_markers, jpeg_with_metadata,
                    malformed_exif_jpeg, png, png_with_metadata)

TOO_LARGE = ("The photo is too large. Choose a photo of at most 16 megapixels and at most 10000 pixels wide "
             "and high.")


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


@pytest.mark.parametrize("size", [(8_000, 8_000), (20_000, 20_000), (7_000, 7_000),
                                  (1, 49_900_000), (2, 24_000_000), (2, MAX_SIDE + 1), (MAX_SIDE + 1, 2)])
def test_too_large_photo_is_refused_before_decoding(app, monkeypatch, size):
    """The security review's costly images (F5): a 94 KB PNG of 1 x 49.9 million pixels cost a
    worker 1 GB. Each side and the pixel count are checked from the header, before any decoding."""
    from PIL import ImageFile
    data = png(Image.new("1", size), optimize=True)
    assert len(data) < 2_000_000

    def no_decoding(self):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    with app.test_request_context(), pytest.raises(PhotoError) as error:
        prepare_photo(data)
    assert str(error.value) == TOO_LARGE


@pytest.mark.parametrize("mode, size", [("RGBA", (4000, 4000)), ("I;16", (4000, 4000)), ("P", (4000, 4000)),
                                        ("L", (2, MAX_SIDE)), ("RGB", (MAX_SIDE, 1600))])
def test_largest_accepted_photos_are_downscaled(app, mode, size):
    assert size[0] * size[1] <= MAX_PIXELS
    with app.test_request_context():
        photo = prepare_photo(png(Image.new(mode, size)))
    assert max(photo.width, photo.height) == 800


def test_too_large_message_is_translated(app):
    data = png(Image.new("1", (1, 49_900_000)), optimize=True)
    with app.test_request_context(headers={"Accept-Language": "de"}):
        with pytest.raises(PhotoError) as error:
            prepare_photo(data)
        message = str(error.value)
    assert message.startswith("Das Foto ist zu groß.") and "16" in message and "10000" in message


def reencoded(app, data: bytes) -> bytes:
    with app.test_request_context():
        return prepare_photo(data).jpeg


@pytest.mark.parametrize("kind", JPEG_METADATA)
def test_no_jpeg_metadata_survives_reencoding(app, kind):
    """Review F3: a JPEG comment (COM) survived. Now only the pixels are carried over."""
    data = jpeg_with_metadata(kind)
    assert SENTINEL.encode() in data
    output = reencoded(app, data)
    assert SENTINEL.encode() not in output
    assert set(jpeg_markers(output)) <= set(ALLOWED_MARKERS), [hex(m) for m in jpeg_markers(output)]
    assert output[output.index(b"\xff\xe0") + 4:][:5] == b"JFIF\x00"
    assert not set(Image.open(io.BytesIO(output)).info) & {"comment", "icc_profile", "exif", "xmp", "photoshop"}


@pytest.mark.parametrize("kind", PNG_METADATA)
def test_no_png_text_survives_reencoding(app, kind):
    """Review F3: a PNG text chunk named "comment" became a JPEG comment."""
    output = reencoded(app, png_with_metadata(kind))
    assert SENTINEL.encode() not in output
    assert set(jpeg_markers(output)) <= set(ALLOWED_MARKERS)


@pytest.mark.parametrize("data", [jpeg_with_metadata("comment"), png_with_metadata("tEXt comment")],
                         ids=["JPEG COM", "PNG comment"])
def test_photo_comment_never_reaches_the_letter(wizard, data):
    wizard.answer_all("access")
    response = wizard.download({"photo": (io.BytesIO(data), "me.jpg", "image/jpeg")})
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    assert "I enclose a photograph of my face." in pdf_text(response.data)
    assert SENTINEL.encode() not in response.data


@pytest.mark.parametrize("value_type", [2, 7])
def test_malformed_exif_is_shown_upright_not_a_500(wizard, value_type):
    """Review F6: an EXIF tag stored with an unexpected type made exif_transpose raise struct.error
    (a 500). The orientation is read on its own, so the photo is used, upright, and its EXIF dropped."""
    data = malformed_exif_jpeg(value_type)
    wizard.answer_all("access")
    response = wizard.download({"photo": (io.BytesIO(data), "me.jpg", "image/jpeg")})
    assert response.status_code == 200
    assert "I enclose a photograph of my face." in pdf_text(response.data)
    with wizard.client.application.test_request_context():
        photo = prepare_photo(data)
    assert (photo.width, photo.height) == (40, 60)  # orientation 6: turned upright


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x2c\x00\x00\x00\xc8\x04\x02\x00\x00\x00\x00\x00\x00\x00",
    png(Image.effect_noise((300, 200), 80))[:5000],
    jpeg_with_metadata("exif")[:-300],
    jpeg_with_metadata("exif")[:300],
    b"\xff\xd8\xff\xe1\x00\x10Exif\x00\x00MM\x00*\xff\xff\xff\xff" + b"\xff\xd9",
])
def test_damaged_files_give_the_could_not_be_read_message(wizard, data):
    wizard.answer_all("access")
    response = wizard.download({"photo": (io.BytesIO(data), "me.jpg", "image/jpeg")})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert ("The photo could not be read. Choose another JPEG or PNG image." in html
            or "The photo must be a JPEG or PNG image." in html)
    assert wizard.client.get("/check-answers").status_code == 200


def test_photo_preparation_runs_inside_the_render_time_limit(wizard, app, monkeypatch, sample_jpeg):
    """Review F5: preparing the photo ran before and outside RENDER_TIME_LIMIT."""
    import signal
    import app.wizard.forms as forms
    armed = []
    real_prepare = forms.prepare_photo

    def watched_prepare(*args, **kwargs):
        armed.append(signal.getitimer(signal.ITIMER_REAL)[0] > 0)
        return real_prepare(*args, **kwargs)

    monkeypatch.setattr(forms, "prepare_photo", watched_prepare)
    wizard.answer_all("access")
    assert wizard.download({"photo": (io.BytesIO(sample_jpeg), "me.jpg", "image/jpeg")}).status_code == 200
    assert armed == [True]


def test_slow_photo_preparation_gives_the_friendly_503(wizard, app, monkeypatch, sample_jpeg):
    import time
    import app.wizard.forms as forms
    monkeypatch.setattr(forms, "prepare_photo", lambda *args, **kwargs: time.sleep(5))
    wizard.answer_all("access")
    token = csrf_token(wizard.page("/download")[1])  # the page itself renders in its own time
    app.config["RENDER_TIME_LIMIT"] = 0.2
    started = time.monotonic()
    response = wizard.client.post("/download", data={"csrf_token": token, "photo": (io.BytesIO(sample_jpeg), "me.jpg",
                                                                                   "image/jpeg")},
                                  content_type="multipart/form-data")
    assert response.status_code == 503 and time.monotonic() - started < 3
    assert "Your letter took too long to make" in response.get_data(as_text=True)


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
