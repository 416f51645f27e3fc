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
