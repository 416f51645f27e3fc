"""The wizard through the Flask client: every path, every guard, every error message."""
import pytest
from cryptography.fernet import Fernet

from conftest import PERSON, REASON, Wizard, csrf_token, page_text, pdf_text


def test_start_page_says_what_the_service_does_and_does_not(client):
    response = client.get("/")
    text = page_text(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "It stores nothing." in text
    assert "about 10 minutes" in text
    assert "your postal address" in text
    assert 'href="/request-type"' in response.get_data(as_text=True)


@pytest.mark.parametrize("request_type, grounds, expected_title", [
    ("access", None, "Request for access to my personal data under Article 15 GDPR"),
    ("erasure", ["unlawful-biometric"], "Request for erasure of my personal data under Article 17 GDPR"),
    ("both", ["unlawful-biometric", "objection"],
     "Request for access to my personal data (Article 15 GDPR), followed by their erasure (Article 17 GDPR)"),
])
def test_every_path_ends_in_a_pdf_letter(wizard, request_type, grounds, expected_title):
    wizard.answer_all(request_type, grounds=grounds, reason=REASON)
    response = wizard.download()
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="FR-')
    assert response.headers["Cache-Control"] == "no-store, max-age=0"
    text = pdf_text(response.data)
    assert expected_title in text
    assert "Maria Müller-Łęcka" in text


def test_access_skips_the_erasure_pages(wizard):
    wizard.submit("/request-type", {"request_type": "access"})
    wizard.submit("/company", {"company": "clearview-ai"})
    assert wizard.submit("/your-details", PERSON).location.endswith("/letter-language")
    response = wizard.submit("/letter-language", {"letter_language": "en"})
    assert response.location.endswith("/check-answers")
    assert wizard.client.get("/erasure-grounds").location.endswith("/check-answers")
    assert wizard.client.get("/recollection").location.endswith("/check-answers")


def erasure_until_grounds(wizard, letter_language="en"):
    wizard.submit("/request-type", {"request_type": "erasure"})
    wizard.submit("/company", {"company": "clearview-ai"})
    wizard.submit("/your-details", PERSON)
    wizard.submit("/letter-language", {"letter_language": letter_language})


def test_pages_cannot_be_skipped(wizard):
    assert wizard.client.get("/your-details").location.endswith("/request-type")
    assert wizard.client.get("/check-answers").location.endswith("/request-type")
    assert wizard.client.get("/download").location.endswith("/request-type")
    wizard.submit("/request-type", {"request_type": "erasure"})
    assert wizard.client.get("/erasure-grounds").location.endswith("/company")
    wizard.submit("/company", {"company": "pimeyes"})
    response = wizard.client.post("/download", data={})
    assert response.status_code == 302 and response.location.endswith("/your-details")


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-step")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)


def test_campaign_link_preselects_a_company_and_unknown_company_is_404(client):
    assert client.get("/company/not-a-company").status_code == 404
    client.get("/company/pimeyes")
    html = client.get("/company", follow_redirects=True).get_data(as_text=True)
    # The preselection does not let anyone skip the first question.
    assert "What do you want the company to do?" in html
    Wizard(client).submit("/request-type", {"request_type": "access"})
    assert 'value="pimeyes" checked' in client.get("/company").get_data(as_text=True)


def test_company_page_shows_channels_and_how_current_they_are(wizard):
    wizard.submit("/request-type", {"request_type": "access"})
    text = page_text(wizard.client.get("/company").get_data(as_text=True))
    assert "Clearview AI, Inc." in text and "PimEyes" in text and "LENSO AI S.A." in text and "FaceCheck.ID" in text
    assert "How to reach them: email (recommended), post." in text
    assert "How to reach them: web form." in text
    assert "No verified postal address." in text
    assert "Contact details last checked on November 29, 2026 from public sources; not yet confirmed by hand." in text


def test_back_links_walk_back_through_the_pages(wizard):
    wizard.answer_all("erasure")
    assert 'href="/erasure-grounds"' in wizard.client.get("/recollection").get_data(as_text=True)
    assert 'href="/letter-language"' in wizard.client.get("/erasure-grounds").get_data(as_text=True)
    assert 'href="/your-details"' in wizard.client.get("/letter-language").get_data(as_text=True)
    assert 'href="/company"' in wizard.client.get("/your-details").get_data(as_text=True)
    assert 'href="/request-type"' in wizard.client.get("/company").get_data(as_text=True)
    assert 'class="back-link" href="/"' in wizard.client.get("/request-type").get_data(as_text=True)
    assert 'href="/recollection"' in wizard.client.get("/check-answers").get_data(as_text=True)


def test_answers_are_kept_when_going_back(wizard):
    wizard.answer_all("access")
    html = wizard.client.get("/your-details").get_data(as_text=True)
    assert 'value="Maria Müller-Łęcka"' in html
    assert '<option value="DE" selected>Germany</option>' in html
    assert "https://example.net/photos/42</textarea>" in html


def test_check_answers_lists_every_answer_with_a_change_link(wizard):
    wizard.answer_all("both", grounds=["unlawful-biometric", "objection"], reason=REASON)
    html = wizard.client.get("/check-answers").get_data(as_text=True)
    text = page_text(html)
    for expected in ["Both: a copy of my data first, then deletion", "Clearview AI, Inc.", "Maria Müller-Łęcka",
                     "maria@example.com", "Hauptstraße 12", "10115 Berlin", "Germany",
                     "https://example.org/team/maria", "They process my biometric data without a lawful basis",
                     REASON, "Language of the letter English",
                     "No template of my face: they may keep only the web addresses my photos came from"]:
        assert expected in text
    for slug in ["request-type", "company", "your-details", "letter-language", "erasure-grounds", "recollection"]:
        assert f'href="/{slug}?return=check"' in html
    assert "Change <span class=\"visually-hidden\"> name</span>" not in html  # hidden text sits inside the link
    assert 'Change<span class="visually-hidden"> name</span>' in html


def test_change_link_returns_to_check_answers(wizard):
    wizard.answer_all("access")
    changed = dict(PERSON, city="Hamburg")
    response = wizard.submit("/your-details?return=check", changed)
    assert response.location.endswith("/check-answers")
    assert "10115 Hamburg" in page_text(wizard.client.get("/check-answers").get_data(as_text=True))


def test_changing_to_erasure_asks_for_the_grounds_before_returning(wizard):
    wizard.answer_all("access")
    response = wizard.submit("/request-type?return=check", {"request_type": "erasure"})
    assert response.location.endswith("/erasure-grounds?return=check")
    response = wizard.submit("/erasure-grounds?return=check", {"grounds": ["unlawful-biometric"]})
    assert response.location.endswith("/recollection?return=check")
    response = wizard.submit("/recollection?return=check", {"suppression": "template"})
    assert response.location.endswith("/check-answers")


def test_erasure_grounds_default_to_unlawful_biometric_processing(wizard):
    erasure_until_grounds(wizard)
    html = wizard.client.get("/erasure-grounds").get_data(as_text=True)
    assert 'value="unlawful-biometric" checked' in html
    assert 'value="objection"' in html and 'value="objection" checked' not in html


@pytest.mark.parametrize("path, data, field, message", [
    ("/request-type", {}, "request_type", "Select what you want the company to do."),
    ("/request-type", {"request_type": "sue-them"}, "request_type", "Not a valid choice."),
])
def test_first_question_errors(wizard, path, data, field, message):
    response = wizard.submit(path, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in html
    assert html.count(message) == 2  # in the summary and next to the field
    assert f'href="#{field}-0"' in html
    assert "<title>Error:" in html


def test_unknown_company_is_a_field_error(wizard):
    wizard.submit("/request-type", {"request_type": "access"})
    response = wizard.submit("/company", {"company": "../../etc/passwd"})
    assert response.status_code == 400
    assert "Not a valid choice." in response.get_data(as_text=True)


@pytest.mark.parametrize("changes, message", [
    ({"full_name": ""}, "Enter your full name."),
    ({"full_name": "12345"}, "Enter your full name, using letters."),
    ({"full_name": "M" * 101}, "Your full name must be 100 characters or fewer."),
    ({"full_name": "Maria\u202eevil"}, "Remove the invisible or control characters from this answer."),
    ({"email": ""}, "Enter your email address."),
    ({"email": "maria@"}, "Enter an email address in the correct format, like name@example.com."),
    ({"street": ""}, "Enter your street and house number."),
    ({"postcode": ""}, "Enter your postcode."),
    ({"postcode": "1" * 21}, "The postcode must be 20 characters or fewer."),
    ({"email": "a" * 250 + "@example.com"}, "Your email address must be 254 characters or fewer."),
    ({"street": "S" * 151}, "The street must be 150 characters or fewer."),
    ({"city": "C" * 101}, "The town or city must be 100 characters or fewer."),
    ({"city": ""}, "Enter your town or city."),
    ({"country": ""}, "Select your country."),
    ({"country": "XX"}, "Select your country."),
    ({"profile_urls": "javascript:alert(1)"}, "Enter each web address on its own line, starting with https:// or http://."),
    ({"profile_urls": "\n".join(f"https://e.org/{n}" for n in range(6))}, "Enter at most 5 web addresses."),
])
def test_details_errors_keep_the_other_answers(wizard, changes, message):
    wizard.submit("/request-type", {"request_type": "access"})
    wizard.submit("/company", {"company": "clearview-ai"})
    response = wizard.submit("/your-details", dict(PERSON, **changes))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert html.count(message) == 2
    field = next(iter(changes))
    assert f'id="{field}-error"' in html
    kept = [name for name in ("full_name", "email", "street", "city") if name not in changes]
    for name in kept:
        assert f'value="{PERSON[name]}"' in html


@pytest.mark.parametrize("data, message", [
    ({}, "Select at least one reason for deletion."),
    ({"grounds": ["objection"]}, "Explain why you object, in a sentence or two about your own situation."),
    ({"grounds": ["objection"], "objection_reason": "too short"}, "Give a little more detail: at least 20 characters."),
    ({"grounds": ["objection"], "objection_reason": "x" * 1501}, "Your reason must be 1500 characters or fewer."),
])
def test_erasure_grounds_errors(wizard, data, message):
    erasure_until_grounds(wizard)
    response = wizard.submit("/erasure-grounds", data)
    assert response.status_code == 400
    assert response.get_data(as_text=True).count(message) == 2


def test_reason_without_objection_is_dropped(wizard):
    wizard.answer_all("erasure", grounds=["unlawful-biometric"], reason="A reason that was typed, then unticked.")
    assert "then unticked" not in wizard.client.get("/check-answers").get_data(as_text=True)
    assert "then unticked" not in pdf_text(wizard.download().data)


def test_expired_form_keeps_the_answers_typed_on_that_page(wizard):
    wizard.submit("/request-type", {"request_type": "access"})
    wizard.submit("/company", {"company": "clearview-ai"})
    response = wizard.client.post("/your-details", data=dict(PERSON, csrf_token="expired-or-forged"))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "This page had expired, for your security." in html
    assert 'value="Maria Müller-Łęcka"' in html
    # A fresh token is on the page: submitting again works.
    response = wizard.client.post("/your-details", data=dict(PERSON, csrf_token=csrf_token(html)))
    assert response.location.endswith("/letter-language")


def test_delete_my_answers(wizard):
    wizard.answer_all("access")
    html = wizard.client.get("/check-answers").get_data(as_text=True)
    response = wizard.client.post("/delete-answers", data={"csrf_token": csrf_token(html)}, follow_redirects=True)
    assert ("Your answers have been deleted from this browser. This service kept no other copy of them."
            in page_text(response.get_data(as_text=True)))
    assert wizard.client.get("/check-answers").location.endswith("/request-type")


def test_delete_without_token_is_refused_with_a_message(wizard):
    wizard.answer_all("access")
    response = wizard.client.post("/delete-answers", data={}, follow_redirects=True)
    assert "Press “Delete my answers” again" in response.get_data(as_text=True)
    assert wizard.client.get("/check-answers").status_code == 200


def test_tampered_state_sends_the_person_to_the_start_with_a_message(wizard):
    wizard.answer_all("access")
    token = wizard.client.get_cookie("facerights").value
    tampered = token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:]
    wizard.client.set_cookie("facerights", tampered)
    response = wizard.client.get("/check-answers")
    assert response.status_code == 302 and response.location.endswith("/")
    text = page_text(wizard.client.get("/").get_data(as_text=True))
    assert "Your answers were deleted because they were more than 2 hours old or could not be read." in text
    assert wizard.client.get("/check-answers").location.endswith("/request-type")


def test_expired_state_is_refused(app, wizard, monkeypatch):
    wizard.answer_all("access")
    app.config["STATE_MAX_AGE"] = 0
    import time
    time.sleep(1.1)  # Fernet timestamps have a resolution of one second
    response = wizard.client.get("/check-answers")
    assert response.location.endswith("/")


def test_state_from_another_key_is_refused(wizard):
    wizard.client.set_cookie("facerights", Fernet(Fernet.generate_key()).encrypt(b'{"answers": {}}').decode())
    assert wizard.client.get("/check-answers").location.endswith("/")


def test_a_second_instance_with_the_same_key_continues_the_visit(wizard, tmp_path):
    from app import create_app
    from conftest import SECRET
    wizard.answer_all("access")
    token = wizard.client.get_cookie("facerights").value
    other = create_app({"TESTING": True, "SECRET_KEY": SECRET, "COMPANIES_FOLDER": str(tmp_path)}).test_client()
    other.set_cookie("facerights", token)
    assert "Maria Müller-Łęcka" in other.get("/check-answers").get_data(as_text=True)


def test_download_page_says_how_to_send_and_when_the_answer_is_due(wizard):
    wizard.answer_all("access")
    text = page_text(wizard.client.get("/download").get_data(as_text=True))
    assert "By email: attach the PDF and send it to legal-requests@clearview.ai." in text
    assert "Put privacy-requests@clearview.ai in copy." in text
    assert "99 Wall Street #5730" in text
    assert "The company must answer within one month of receiving your letter" in text
    assert "Your reference is FR-" in text
    assert "Clearview AI, Inc. searches by face, so it is likely to ask for a photo before it answers." in text
    assert "unless" not in text  # the extension is explained in full:
    assert "It may extend this by two further months where the request is complex, but it must tell you so" in text


@pytest.mark.parametrize("language, message", [
    ("xx", "Not a valid choice."),
])
def test_letter_language_errors(wizard, language, message):
    wizard.submit("/request-type", {"request_type": "access"})
    wizard.submit("/company", {"company": "clearview-ai"})
    wizard.submit("/your-details", PERSON)
    response = wizard.submit("/letter-language", {"letter_language": language})
    assert response.status_code == 400
    assert response.get_data(as_text=True).count(message) == 2


def test_letter_language_defaults_to_the_companys_language(wizard):
    wizard.submit("/request-type", {"request_type": "access"})
    wizard.submit("/company", {"company": "clearview-ai"})
    wizard.submit("/your-details", PERSON)
    html = wizard.client.get("/letter-language").get_data(as_text=True)
    assert '<option value="en" selected>English</option>' in html
    assert "A letter in the company's own language is likely to be answered fastest." in page_text(html)


def test_download_asks_how_the_letter_is_sent(wizard):
    wizard.answer_all("access")
    response = wizard.download({"channels": []})
    assert response.status_code == 400
    assert response.get_data(as_text=True).count("Select how you will send the letter.") == 2


def test_answers_too_long_for_the_state_are_refused_on_their_page(wizard, monkeypatch):
    import app.wizard.views as views
    wizard.submit("/request-type", {"request_type": "access"})
    wizard.submit("/company", {"company": "clearview-ai"})
    monkeypatch.setattr(views, "STATE_BUDGET", 200)
    response = wizard.submit("/your-details", PERSON)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Your answers are too long to keep. Shorten your longest answer." in html
    assert 'value="Maria Müller-Łęcka"' in html


def test_wrong_method_gets_a_friendly_405(client):
    response = client.put("/request-type")
    assert response.status_code == 405
    assert "This page cannot be used like that" in response.get_data(as_text=True)


def test_web_form_only_company_gets_web_form_instructions(wizard):
    wizard.answer_all("access", company="facecheck-id")
    text = page_text(wizard.client.get("/download").get_data(as_text=True))
    assert ("Through the company's removal request form: the page https://facecheck.id/Face-Search/FAQ "
            "explains how to reach it.") in text
    assert "By post" not in text


def test_reference_is_stable_across_downloads(wizard):
    wizard.answer_all("access")
    first, second = pdf_text(wizard.download().data), pdf_text(wizard.download().data)
    reference = first.split("My reference (please quote it) ")[1].split(" ")[0]
    assert reference.startswith("FR-") and reference in second


def test_head_requests_get_the_page_status(wizard):
    assert wizard.client.head("/request-type").status_code == 200
    wizard.answer_all("access")
    assert wizard.client.head("/download").status_code == 200


@pytest.mark.parametrize("day, expected", [
    ("2026-01-31", "2026-02-28"), ("2028-01-31", "2028-02-29"), ("2026-12-15", "2027-01-15"),
    ("2026-03-31", "2026-04-30"), ("2026-11-29", "2026-12-29"),
])
def test_one_month_deadline_counts_calendar_months(day, expected):
    from datetime import date
    from app.law.deadlines import add_months
    assert add_months(date.fromisoformat(day), 1) == date.fromisoformat(expected)


# --- who the law covers (issue 8, H1) --------------------------------------------------------------------

def details_in(wizard, country, request_type="access"):
    wizard.submit("/request-type", {"request_type": request_type})
    wizard.submit("/company", {"company": "clearview-ai"})
    return wizard.submit("/your-details", dict(PERSON, country=country))


@pytest.mark.parametrize("country, name", [("US", "United States"), ("CH", "Switzerland")])
def test_a_person_outside_the_gdpr_gets_a_page_that_says_why_and_no_letter(wizard, country, name):
    details_in(wizard, country)
    for path in ("/letter-language", "/check-answers", "/download"):
        assert wizard.client.get(path).location.endswith("/not-covered"), path
    assert wizard.client.post("/download", data={}).location.endswith("/not-covered")
    response = wizard.client.get("/not-covered")
    text = page_text(response.get_data(as_text=True))
    assert response.status_code == 200
    assert f"You told us that you live in {name}." in text
    assert "A company does not have to answer a GDPR request from someone who lives elsewhere" in text
    assert ("Federal Act on Data Protection gives you a right of access to your data (Article 25 FADP)" in text) \
        == (country == "CH")
    assert 'href="/your-details?return=check"' in response.get_data(as_text=True)


def test_correcting_the_country_continues_the_visit(wizard):
    details_in(wizard, "US")
    response = wizard.submit("/your-details?return=check", PERSON)
    assert response.location.endswith("/letter-language?return=check")


def test_not_covered_page_is_only_for_people_outside(wizard):
    assert wizard.client.get("/not-covered").location.endswith("/")
    details_in(wizard, "NO")
    assert wizard.client.get("/not-covered").location.endswith("/")


def test_a_uk_resident_gets_an_english_uk_gdpr_letter_and_the_ico(wizard):
    details_in(wizard, "GB")
    html = wizard.client.get("/letter-language").get_data(as_text=True)
    assert '<option value="en" selected>English</option>' in html and 'value="de"' not in html
    assert "Your letter relies on the UK GDPR, which exists only in English" in page_text(html)
    assert wizard.submit("/letter-language", {"letter_language": "de"}).status_code == 400
    wizard.submit("/letter-language", {"letter_language": "en"})
    text = page_text(wizard.client.get("/download").get_data(as_text=True))
    assert "you can complain to the Information Commissioner's Office (ICO)" in text
    assert "the data protection authority of the country where you live" not in text
    assert "(Article 15(3) UK GDPR)" in pdf_text(wizard.download().data)


def test_moving_to_the_uk_asks_for_the_letter_language_again(wizard):
    wizard.answer_all("access", letter_language="de")
    wizard.submit("/your-details?return=check", dict(PERSON, country="GB"))
    assert wizard.client.get("/check-answers").location.endswith("/letter-language")


def test_download_page_due_dates_skip_weekends_and_holidays(wizard, monkeypatch):
    from datetime import date
    import app.wizard.views as views

    class FixedDate(date):
        @classmethod
        def today(cls):
            return date(2026, 12, 1)

    monkeypatch.setattr(views, "date", FixedDate)
    wizard.answer_all("access")
    text = page_text(wizard.client.get("/download").get_data(as_text=True))
    # Email on 1 December: due 1 January, a public holiday in the US (Clearview), so Monday 4 January.
    assert "by January 4, 2027 if you email it today" in text


# Review F13: invisible marks were accepted; only overrides and isolates were refused.
INVISIBLE_MARKS = {"LRM": "\u200e", "RLM": "\u200f", "ALM": "\u061c", "ZWSP": "\u200b", "BOM": "\ufeff",
                   "tag A": "\U000e0041", "line separator": "\u2028", "paragraph separator": "\u2029",
                   "word joiner": "\u2060", "soft hyphen": "\u00ad", "lone ZWJ": "\u200d", "lone ZWNJ": "\u200c"}


@pytest.mark.parametrize("field", ["full_name", "street", "city", "postcode"])
@pytest.mark.parametrize("mark", INVISIBLE_MARKS.values(), ids=INVISIBLE_MARKS.keys())
def test_invisible_marks_are_refused_in_names_and_addresses(wizard, field, mark):
    wizard.submit("/request-type", {"request_type": "access"})
    wizard.submit("/company", {"company": "clearview-ai"})
    value = f"12{mark} Main" if field != "full_name" else f"Maria{mark} Müller"
    if "lone" in [name for name, char in INVISIBLE_MARKS.items() if char == mark][0]:
        value = f"{mark}{value}"
    response = wizard.submit("/your-details", dict(PERSON, **{field: value}))
    assert response.status_code == 400
    assert response.get_data(as_text=True).count("Remove the invisible or control characters from this answer.") == 2


@pytest.mark.parametrize("mark", ["\u200e", "\u2028", "\u200b"])
def test_invisible_marks_are_refused_in_the_objection_reason(wizard, mark):
    wizard.answer_all("access")
    wizard.submit("/request-type", {"request_type": "erasure"})
    response = wizard.submit("/erasure-grounds", {"grounds": ["objection"], "objection_reason": REASON + mark + "."})
    assert response.status_code == 400
    assert "Remove the invisible or control characters from this answer." in response.get_data(as_text=True)


def test_joiners_between_letters_are_kept_for_the_scripts_that_need_them(wizard):
    """Persian needs a zero-width non-joiner inside words (می‌خواهم); Indic scripts a joiner."""
    wizard.submit("/request-type", {"request_type": "access"})
    wizard.submit("/company", {"company": "clearview-ai"})
    response = wizard.submit("/your-details", dict(PERSON, full_name="مریم می\u200cخواه", city="क्\u200dष नगर"))
    assert response.status_code == 302


def test_a_copy_of_the_state_dies_with_the_visit_however_often_it_is_used(app, wizard):
    """Review F9: each page re-encrypted the state with a fresh timestamp, so a copy of the cookie
    taken before "delete my answers" could be kept alive for ever. The token keeps the time the
    visit began: STATE_MAX_AGE after that it is refused, even if it was used all along."""
    import time
    app.config["STATE_MAX_AGE"] = 3
    wizard.answer_all("access")
    copy = wizard.client.get_cookie("facerights").value
    thief = app.test_client()
    thief.set_cookie("facerights", copy)
    for _ in range(2):
        time.sleep(1.1)
        assert thief.get("/check-answers").status_code == 200
    time.sleep(2.0)  # Fernet counts whole seconds
    response = thief.get("/check-answers")
    assert response.status_code == 302 and response.location.endswith("/")


def test_deleting_starts_a_new_visit(app, wizard):
    from cryptography.fernet import Fernet
    from app.state import _fernet
    wizard.answer_all("access")
    before = _fernet(app.secret_key).extract_timestamp(wizard.client.get_cookie("facerights").value.encode())
    import time
    time.sleep(1.1)
    html = wizard.client.get("/check-answers").get_data(as_text=True)
    wizard.client.post("/delete-answers", data={"csrf_token": csrf_token(html)})
    wizard.submit("/request-type", {"request_type": "access"})
    after = _fernet(app.secret_key).extract_timestamp(wizard.client.get_cookie("facerights").value.encode())
    assert after > before


@pytest.mark.parametrize("state", [
    "x", [], 42, {"answers": "x"}, {"answers": []}, {"answers": {"your-details": "x"}},
    {"answers": {"your-details": {"full_name": "A"}}}, {"answers": {"request-type": {"request_type": "both"}},
                                                      "lang": ["de"]},
    {"answers": {"request-type": {"request_type": "revenge"}}},
    {"answers": {"erasure-grounds": {"grounds": ["../x"], "objection_reason": ""}}},
    {"answers": {"erasure-grounds": {"grounds": "objection", "objection_reason": ""}}},
    {"answers": {}, "_flashes": [["info"]]}, {"answers": {}, "_flashes": "x"}, {"reference": 7},
    {"answers": {}, "admin": True}, {"answers": {"company": {"company": "pimeyes"}}}, {"answers": {"company": {"company": [3]}}},
])
@pytest.mark.parametrize("path", ["/", "/check-answers", "/download", "/your-details"])
def test_ill_formed_state_made_with_the_right_key_is_refused(app, state, path):
    """Review F15: with a valid key, a state of another shape gave a 500 on /, /check-answers and /download."""
    import json
    from app.state import _fernet
    client = app.test_client()
    client.set_cookie("facerights", _fernet(app.secret_key).encrypt(json.dumps(state).encode()).decode())
    response = client.get(path, follow_redirects=True)
    assert response.status_code == 200
    assert "could not be read" in page_text(response.get_data(as_text=True))


def test_campaign_link_never_replaces_a_chosen_company(wizard):
    """Review F14: any site could switch a visitor's company with a cross-site GET /company/<slug>."""
    wizard.answer_all("access", company="clearview-ai")
    wizard.client.get("/company/pimeyes", headers={"Sec-Fetch-Site": "cross-site"})
    assert "Clearview AI" in page_text(wizard.client.get("/check-answers").get_data(as_text=True))
    assert 'value="clearview-ai" checked' in wizard.client.get("/company").get_data(as_text=True)
