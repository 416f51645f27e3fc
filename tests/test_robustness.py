"""Property-based: whatever is posted to any page or given to the CLI, never a 5xx, never a traceback."""
import json
import string

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import PERSON, SECRET, Wizard, csrf_token

# Arbitrary text, including control characters, surrogates-free unicode, huge values.
any_text = st.one_of(
    st.text(max_size=50),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=0, max_size=400),
    st.text(alphabet=string.printable, min_size=2000, max_size=20000),
    st.sampled_from(["", " ", "\x00", "<script>alert(1)</script>", "{{7*7}}", "%(x)s", "../../etc/passwd",
                     "\u202e", "😀" * 500, "a" * 100_000]),
)
field_values = st.dictionaries(
    keys=st.sampled_from(["request_type", "company", "full_name", "email", "street", "postcode", "city",
                          "country", "profile_urls", "grounds", "objection_reason", "csrf_token", "junk"]),
    values=st.one_of(any_text, st.lists(any_text, max_size=3)),
    max_size=12,
)
PAGES = ["/request-type", "/company", "/your-details", "/erasure-grounds", "/download", "/delete-answers"]
SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def assert_handled(response):
    assert response.status_code < 500 or response.status_code == 503, response.status_code
    if response.mimetype == "application/pdf":
        assert response.data.startswith(b"%PDF-")
        return
    body = response.get_data(as_text=True)
    assert "Traceback" not in body and 'File "' not in body


@pytest.fixture
def answered(app):
    """A client whose answers are complete, so that every page is reachable."""
    client = app.test_client()
    Wizard(client).answer_all("both")
    return client


@SETTINGS
@given(page=st.sampled_from(PAGES), values=field_values, keep_token=st.booleans())
def test_any_post_to_any_page_is_handled(answered, page, values, keep_token):
    if keep_token:
        values = dict(values, csrf_token=csrf_token(answered.get("/request-type").get_data(as_text=True)))
    assert_handled(answered.post(page, data=values))
    assert_handled(answered.get("/check-answers"))


@SETTINGS
@given(values=field_values)
def test_any_details_with_a_valid_token_is_handled(answered, values):
    token = csrf_token(answered.get("/your-details").get_data(as_text=True))
    data = {**PERSON, **{key: value for key, value in values.items() if key != "csrf_token"}, "csrf_token": token}
    assert_handled(answered.post("/your-details", data=data))
    assert_handled(answered.get("/download"))


@SETTINGS
@given(cookie=st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126, exclude_characters=";,\\\""),
                      max_size=6000))
def test_any_cookie_is_handled(app, cookie):
    client = app.test_client()
    client.set_cookie("facerights", cookie)
    assert_handled(client.get("/check-answers"))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(person=st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), any_text),
    lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(any_text, children, max_size=4)),
    max_leaves=10))
def test_cli_rejects_any_person_file_cleanly(app, tmp_path_factory, person):
    folder = tmp_path_factory.mktemp("cli")
    path = folder / "person.json"
    path.write_text(json.dumps(person), encoding="utf-8")
    output = folder / "out.pdf"
    result = app.test_cli_runner().invoke(args=["letter", "--company", "clearview-ai", "--request", "erasure",
                                          "--person", str(path), "--output", str(output)])
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    assert not output.exists()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=any_text, street=any_text, reason=any_text)
def test_cli_with_arbitrary_strings_either_writes_a_pdf_or_exits_2(app, tmp_path_factory, name, street, reason):
    folder = tmp_path_factory.mktemp("cli")
    person = {"full_name": name, "email": "a@example.com",
              "address": {"street": street, "postcode": "1000", "city": "Wien", "country": "AT"},
              "erasure_grounds": ["objection"], "objection_reason": reason}
    (folder / "person.json").write_text(json.dumps(person), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["letter", "--company", "pimeyes", "--request", "erasure",
                                          "--person", str(folder / "person.json"), "--output", str(folder / "o.pdf")])
    assert result.exit_code in (0, 2), (result.output, result.exception)
    assert (folder / "o.pdf").exists() == (result.exit_code == 0)


# --- Query strings, headers and photos (review F16: F6 and F7 were out of reach) ---------------

GET_ROUTES = ["/", "/language/de", "/language/el", "/company/pimeyes", "/request-type", "/company",
              "/your-details", "/erasure-grounds", "/check-answers", "/download", "/static/css/site.css",
              "/no-such-page"]
# What browsers and Werkzeug normalise away or read specially in a URL, and some unicode.
url_text = st.text(alphabet=st.sampled_from(list("\t\r\n\\/:%@?#&=. ab09") + ["\u3000", "\uff0f", "\u200b",
                                                                             "\u202e", "é", "\x00", "\x7f"]),
                   max_size=40)
query_values = st.dictionaries(keys=st.sampled_from(["next", "return", "lang", "slug", "x"]),
                               values=st.one_of(url_text, any_text), max_size=3)
UNLIMITED = settings(max_examples=60, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture
def unlimited(tmp_path):
    """Answered, with rate limits off: a long run would otherwise mostly see 429s."""
    from app import create_app
    app = create_app({"TESTING": True, "SECRET_KEY": SECRET, "RATELIMIT_ENABLED": False, "TRUSTED_PROXIES": 1,
                      "COMPANIES_FOLDER": str(tmp_path / "companies")})
    client = app.test_client()
    Wizard(client).answer_all("both")
    return client


@UNLIMITED
@given(next_url=st.one_of(url_text, url_text.map(lambda text: "/" + text)), language=st.sampled_from(["de", "el"]))
def test_language_switcher_with_any_next_is_handled_and_stays_on_the_site(unlimited, next_url, language):
    response = unlimited.get(f"/language/{language}", query_string={"next": next_url})
    assert_handled(response)
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith("//") and "\\" not in location, location


@UNLIMITED
@given(path=st.sampled_from(GET_ROUTES), query=query_values)
def test_any_query_string_on_any_route_is_handled(unlimited, path, query):
    with unlimited.get(path, query_string=query) as response:
        assert_handled(response)
        location = response.headers.get("Location", "")
    assert not location.startswith("//") and "://" not in location, location


# Header values cannot hold CR, LF or NUL on the wire.
header_text = st.text(alphabet=st.characters(codec="latin-1", exclude_characters="\r\n\x00"), max_size=60)


@UNLIMITED
@given(path=st.sampled_from(GET_ROUTES + ["/company//pimeyes"]),
       headers=st.dictionaries(keys=st.sampled_from(["Host", "X-Forwarded-For", "X-Forwarded-Host",
                                                     "X-Forwarded-Proto", "X-Forwarded-Port", "Forwarded",
                                                     "Accept-Language", "Cookie"]),
                               values=st.one_of(header_text, st.sampled_from(["evil.example", "https", "::1",
                                                                               "2001:db8::1, 10.0.0.1"])),
                               max_size=4))
def test_any_host_and_forwarded_headers_are_handled(unlimited, path, headers):
    with unlimited.get(path, headers=headers) as response:
        assert_handled(response)
        assert "evil.example" not in response.headers.get("Location", "")


def _photo(mode, size, image_format, metadata) -> bytes:
    import io
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo
    image = Image.new(mode, size, 120)
    options = {}
    if image_format == "JPEG":
        image = image.convert("RGB" if mode not in ("L", "CMYK") else mode)
        exif = Image.Exif()
        for tag, value in metadata["exif"]:
            exif[tag] = value
        options = {"exif": exif, "comment": metadata["text"], "icc_profile": metadata["text"].encode() or None}
        options = {key: value for key, value in options.items() if value}
    else:
        image = image.convert("RGB") if mode == "CMYK" else image
        info = PngInfo()
        info.add_text("comment", metadata["text"])
        options = {"pnginfo": info}
    buffer = io.BytesIO()
    try:
        image.save(buffer, format=image_format, **options)
    except (OSError, ValueError, TypeError, __import__("struct").error):
        buffer = io.BytesIO()  # EXIF values Pillow cannot write: the photo without them
        image.save(buffer, format=image_format, **{key: value for key, value in options.items() if key != "exif"})
    return buffer.getvalue()


photos = st.builds(
    _photo,
    mode=st.sampled_from(["RGB", "RGBA", "L", "P", "1", "I;16", "CMYK", "LA"]),
    size=st.tuples(st.integers(1, 48), st.integers(1, 48)),
    image_format=st.sampled_from(["JPEG", "PNG"]),
    metadata=st.fixed_dictionaries({
        "exif": st.lists(st.tuples(st.sampled_from([0x0112, 0x0128, 0x010F, 0x013B, 0x011A, 0x0131]),
                                   st.one_of(st.integers(0, 70000), st.text(max_size=8))), max_size=3),
        "text": st.text(alphabet=string.ascii_letters, max_size=20)}),
)


@st.composite
def damaged(draw, base):
    """A photo with some bytes changed, cut off, or with bytes after its end."""
    data = bytearray(draw(base))
    for _ in range(draw(st.integers(0, 4))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        data = data[:draw(st.integers(0, len(data)))]
    return bytes(data) + draw(st.binary(max_size=16))


def _review_photo(number: int) -> bytes:
    """The security review's cases: malformed EXIF (F6) and every kind of metadata (F3)."""
    from photos import JPEG_METADATA, PNG_METADATA, jpeg_with_metadata, malformed_exif_jpeg, png_with_metadata
    cases = ([lambda: malformed_exif_jpeg(2), lambda: malformed_exif_jpeg(7)]
             + [lambda kind=kind: jpeg_with_metadata(kind) for kind in JPEG_METADATA]
             + [lambda kind=kind: png_with_metadata(kind) for kind in PNG_METADATA])
    return cases[number % len(cases)]()


review_photos = st.integers(0, 12).map(_review_photo)


@UNLIMITED
@given(photo=st.one_of(photos, damaged(photos), review_photos, damaged(review_photos), st.binary(max_size=200)))
def test_any_photo_upload_is_handled(unlimited, photo):
    import io
    token = csrf_token(unlimited.get("/download").get_data(as_text=True))
    response = unlimited.post("/download", data={"csrf_token": token, "photo": (io.BytesIO(photo), "me.jpg")},
                              content_type="multipart/form-data")
    assert_handled(response)
    assert response.status_code in (200, 400)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(photo=st.one_of(damaged(photos), review_photos))
def test_cli_with_any_photo_writes_a_pdf_or_exits_2_with_one_line(app, tmp_path_factory, photo):
    folder = tmp_path_factory.mktemp("cli")
    (folder / "person.json").write_text(json.dumps({
        "full_name": "Ana Ruiz", "email": "ana@example.es",
        "address": {"street": "Calle 1", "postcode": "28001", "city": "Madrid", "country": "ES"}}), encoding="utf-8")
    (folder / "face.jpg").write_bytes(photo)
    result = app.test_cli_runner().invoke(args=["letter", "--company", "pimeyes", "--request", "access",
                                                "--person", str(folder / "person.json"), "--output",
                                                str(folder / "o.pdf"), "--photo", str(folder / "face.jpg")])
    assert result.exit_code in (0, 2), (result.output, result.exception)
    if result.exit_code == 2:
        assert [line for line in result.output.splitlines() if line.strip()] == \
            [line for line in result.output.splitlines() if line.startswith("error: --photo: ")]
