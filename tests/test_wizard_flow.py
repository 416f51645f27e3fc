"""The wizard through the Flask client: every path, every guard, every error message."""
import re
from datetime import date
from html import unescape as html_unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography.fernet import Fernet

from app.i18n import available_locales
from conftest import PERSON, REASON, SECRET, Wizard, csrf_token, page_text, pdf_text


def test_start_page_says_what_the_service_does_and_does_not(client):
    response = client.get("/")
    text = page_text(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "It stores nothing." in text
    assert "about 10 minutes" in text
    assert "your postal address" in text
    assert 'action="/request-type"' in response.get_data(as_text=True)


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
    wizard.submit("/sending", {"channels": ["letter", "email"]})
    assert wizard.submit("/your-details", PERSON).location.endswith("/letter-language")
    response = wizard.submit("/letter-language", {"letter_language": "en"})
    assert response.location.endswith("/check-answers")
    assert wizard.client.get("/erasure-grounds").location.endswith("/check-answers")
    assert wizard.client.get("/recollection").location.endswith("/check-answers")


def erasure_until_grounds(wizard, letter_language="en"):
    wizard.submit("/request-type", {"request_type": "erasure"})
    wizard.submit("/company", {"company": "clearview-ai"})
    wizard.submit("/sending", {"channels": ["letter", "email"]})
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
    assert response.status_code == 302 and response.location.endswith("/sending")
    wizard.submit("/sending", {"channels": ["email"]})
    assert wizard.client.get("/download").location.endswith("/your-details")


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
    # Brand names first, legal names as hints.
    assert "Clearview AI Face search for police" in text and "Legal name: Clearview AI, Inc." in text
    assert "Legal name: LENSO AI S.A." in text and "PimEyes" in text and "FaceCheck.ID" in text
    assert "How to reach them: email (recommended), post." in text
    assert "How to reach them: web form." in text
    assert "No verified postal address." in text
    # Point 5 of issue 17: each company says when its details were last checked, in British English.
    assert text.count("Contact details last checked on 29 November 2026 from public sources; "
                      "not yet confirmed by hand.") == 3  # Clearview AI, FaceCheck.ID, Lenso.ai
    assert text.count("Contact details last checked on 30 November 2026 from public sources; "
                      "not yet confirmed by hand.") == 2  # PimEyes, Public Mirror
    # Several companies at once (each its own letter), and where most people start.
    assert ("Select every company you want to write to. Each gets a letter of its own, with its own reference. "
            "Most people start with Clearview AI and PimEyes.") in text


def test_back_links_walk_back_through_the_pages(wizard):
    wizard.answer_all("erasure")
    assert 'href="/erasure-grounds"' in wizard.client.get("/recollection").get_data(as_text=True)
    assert 'href="/letter-language"' in wizard.client.get("/erasure-grounds").get_data(as_text=True)
    assert 'href="/your-details"' in wizard.client.get("/letter-language").get_data(as_text=True)
    assert 'href="/sending"' in wizard.client.get("/your-details").get_data(as_text=True)
    assert 'href="/company"' in wizard.client.get("/sending").get_data(as_text=True)
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
    for expected in ["Both: a copy of my data first, then deletion", "Clearview AI", "Maria Müller-Łęcka",
                     "How you will send it By email By post",
                     "maria@example.com", "Hauptstraße 12", "10115 Berlin", "Germany",
                     "https://example.org/team/maria", "They process my biometric data without a lawful basis",
                     REASON, "Language of the letter English",
                     "No template of my face: they may keep only the web addresses my photos came from"]:
        assert expected in text
    for slug in ["request-type", "company", "sending", "your-details", "letter-language", "erasure-grounds",
                 "objection-reason", "recollection"]:
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


def test_what_they_may_keep_says_what_to_choose_when_unsure(wizard):
    """Review N14: a hard trade-off, with default advice that matches the default."""
    wizard.answer_all("erasure")
    html = wizard.client.get("/recollection").get_data(as_text=True)
    assert "<strong>If you are not sure, choose the first: they keep nothing made from your face.</strong>" in html
    first = re.search(r'<input class="choice-input" id="suppression-0" name="suppression" type="radio" value="(\w+)"'
                      r'( checked)?', html)
    assert first.groups() == ("addresses", " checked")


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
    wizard.submit("/sending", {"channels": ["letter", "email"]})
    response = wizard.submit("/your-details", dict(PERSON, **changes))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert html.count(message) == 2
    field = next(iter(changes))
    assert f'id="{field}-error"' in html
    kept = [name for name in ("full_name", "email", "street", "city") if name not in changes]
    for name in kept:
        assert f'value="{PERSON[name]}"' in html


def test_erasure_grounds_error(wizard):
    erasure_until_grounds(wizard)
    response = wizard.submit("/erasure-grounds", {})
    assert response.status_code == 400
    assert response.get_data(as_text=True).count("Select at least one reason for deletion.") == 2


@pytest.mark.parametrize("reason, message", [
    ("", "Explain why you object, in a sentence or two about your own situation."),
    ("too short", "Give a little more detail: at least 20 characters."),
    ("x" * 1501, "Your reason must be 1500 characters or fewer."),
])
def test_objection_reason_errors(wizard, reason, message):
    erasure_until_grounds(wizard)
    wizard.submit("/erasure-grounds", {"grounds": ["objection"]})
    response = wizard.submit("/objection-reason", {"objection_reason": reason})
    assert response.status_code == 400
    assert response.get_data(as_text=True).count(message) == 2


def test_the_objection_reason_is_its_own_page_only_for_a_person_who_objects(wizard):
    erasure_until_grounds(wizard)
    assert wizard.submit("/erasure-grounds", {"grounds": ["unlawful-biometric"]}).location.endswith("/recollection")
    assert wizard.client.get("/objection-reason").location.endswith("/check-answers")
    response = wizard.submit("/erasure-grounds?return=check", {"grounds": ["unlawful-biometric", "objection"]})
    assert response.location.endswith("/objection-reason?return=check")
    html = wizard.client.get("/objection-reason").get_data(as_text=True)
    text = page_text(html)
    assert "Write it in English, the language of your letter: it goes into the letter word for word." in text
    assert "Between 20 and 1500 characters." in text
    assert 'class="back-link" href="/erasure-grounds"' in html


def test_reason_without_objection_is_dropped(wizard):
    wizard.answer_all("erasure", grounds=["unlawful-biometric", "objection"], reason="A reason that was typed, then unticked.")
    wizard.submit("/erasure-grounds?return=check", {"grounds": ["unlawful-biometric"]})
    assert "then unticked" not in wizard.client.get("/check-answers").get_data(as_text=True)
    assert "then unticked" not in pdf_text(wizard.download().data)


def test_expired_form_keeps_the_answers_typed_on_that_page(wizard):
    wizard.submit("/request-type", {"request_type": "access"})
    wizard.submit("/company", {"company": "clearview-ai"})
    wizard.submit("/sending", {"channels": ["letter", "email"]})
    response = wizard.client.post("/your-details", data=dict(PERSON, csrf_token="expired-or-forged"))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "This page had expired, for your security." in html
    assert 'value="Maria Müller-Łęcka"' in html
    # A fresh token is on the page: submitting again works.
    response = wizard.client.post("/your-details", data=dict(PERSON, csrf_token=csrf_token(html)))
    assert response.location.endswith("/letter-language")


def test_delete_my_answers_asks_first_and_keeps_the_page_language(wizard):
    assert "Delete my answers" not in wizard.client.get("/").get_data(as_text=True)  # nothing to delete yet
    assert wizard.client.get("/delete-answers").location.endswith("/")
    wizard.answer_all("access")
    wizard.client.get("/language/de")
    html = wizard.client.get("/check-answers").get_data(as_text=True)
    assert 'href="/delete-answers?next=/check-answers"' in html
    response = wizard.client.get("/delete-answers?next=/check-answers")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'href="/check-answers">' in html  # "no, keep them" goes back where the person was
    response = wizard.client.post("/delete-answers", data={"csrf_token": csrf_token(html)}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert '<html lang="de">' in html and "Ihre Antworten wurden aus diesem Browser gelöscht. Dieser Dienst hat keine weitere Kopie davon aufbewahrt." in html
    assert wizard.client.get("/check-answers").location.endswith("/request-type")


def test_the_cancel_link_of_delete_stays_on_this_site(wizard):
    wizard.answer_all("access")
    html = wizard.client.get("/delete-answers?next=//evil.example/").get_data(as_text=True)
    assert 'href="//evil.example/"' not in html and 'href="/check-answers"' not in html
    assert '<p><a href="/">' in html


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
    wizard.answer_all("access", channels=["email", "letter"])
    html = wizard.client.get("/download").get_data(as_text=True)
    text = page_text(html)
    assert "By email: attach the PDF and send it to legal-requests@clearview.ai ." in text
    assert "Put privacy-requests@clearview.ai in copy." in text
    assert "99 Wall Street #5730" in text
    assert "The company must answer within one month of receiving your letter" in text
    assert "Your reference is FR-" in text
    assert "Clearview AI searches by face, so it is likely to ask for a photo before it answers." in text
    assert "The company may extend this by two further months where the request is complex, but it must tell you so" in text
    # What to do if the company asks for ID or a photo.
    assert "Clearview AI has asked people for an ID document before." in text
    assert "only when it has reasonable doubts about who you are" in text and "(Article 12(6) GDPR)" in text
    assert "you can download the letter again with a photo added" in text


def test_the_email_address_is_a_mailto_link_with_the_subject_in_the_letter_language(wizard):
    wizard.answer_all("access", channels=["email"], letter_language="de")
    html = wizard.client.get("/download").get_data(as_text=True)
    reference = re.search(r"Your reference is (FR-[0-9]{8}-[A-Z0-9]{6})", html).group(1)
    link = html_unescape(re.search(r'href="(mailto:[^"]+)"', html).group(1))
    parts = urlsplit(link)
    assert parts.path == "legal-requests@clearview.ai"
    query = parse_qs(parts.query)
    assert query["cc"] == ["privacy-requests@clearview.ai"]
    assert query["subject"] == [f"DSGVO-Auskunftsantrag, Zeichen {reference}"]
    # The ready email's short body, in the letter's language, quotes the reference (the PDF is the request).
    assert query["body"][0].startswith("Sehr geehrte Damen und Herren") and reference in query["body"][0]
    assert "+" not in link  # spaces are %20: a mail program shows "+" as it is


@pytest.mark.parametrize("company, channels, expected, absent", [
    # A web form arrives the same day, like an email; the web-form date is given, never an email date.
    ("facecheck-id", ["webform"], ["by 29 December 2026 if you send it through the web form today"],
     ["if you email it today", "if you post it today"]),
    ("lenso-ai", ["letter", "webform"], ["by about 7 January 2027 if you post it today",
                                        "by 29 December 2026 if you send it through the web form today"],
     ["if you email it today"]),
    ("clearview-ai", ["email"], ["by 29 December 2026 if you email it today"],
     ["if you post it today", "By post"]),
])
def test_what_happens_next_follows_the_channels_the_letter_is_sent_by(wizard, set_today, company, channels,
                                                                        expected, absent):
    set_today(date(2026, 11, 29))
    wizard.answer_all("access", company=company, channels=channels)
    text = page_text(wizard.client.get("/download").get_data(as_text=True))
    for sentence in expected:
        assert sentence in text
    for sentence in absent:
        assert sentence not in text


def test_web_forms_are_links(wizard):
    wizard.answer_all("access", company="facecheck-id")
    html = wizard.client.get("/download").get_data(as_text=True)
    assert '<a class="copyable" href="https://facecheck.id/Face-Search/FAQ">https://facecheck.id/Face-Search/FAQ</a>' in html
    assert "By post" not in page_text(html)


@pytest.mark.parametrize("country, authority", [
    ("FR", "Commission Nationale de l'Informatique et des Libertés – CNIL (French National Commission on "
           "Informatics and Liberty)"),
    ("GR", "Αρχή Προστασίας Δεδομένων Προσωπικού Χαρακτήρα (Hellenic Data Protection Authority)"),
    ("NO", "Datatilsynet (Norwegian Data Protection Authority)"),
    ("RE", "Commission Nationale de l'Informatique et des Libertés – CNIL (French National Commission on "
           "Informatics and Liberty)"),
])
def test_the_persons_own_supervisory_authority_is_named(wizard, country, authority):
    wizard.answer_all("access", person=dict(PERSON, country=country))
    text = page_text(wizard.client.get("/download").get_data(as_text=True))
    assert (f"You can complain to the data protection authority of the country where you live: {authority} "
            "(Article 77 GDPR).") in text


def test_a_person_in_germany_is_sent_to_the_authority_of_their_land(wizard):
    wizard.answer_all("access")  # postcode 10115: Berlin
    text = page_text(wizard.client.get("/download").get_data(as_text=True))
    assert ("the data protection authority of the federal state (Land) where you live, going by your postcode: "
            "Berliner Beauftragte für Datenschutz und Informationsfreiheit (Article 77 GDPR)") in text


def test_a_german_postcode_that_names_no_land_gets_the_general_sentence(wizard):
    wizard.answer_all("access", person=dict(PERSON, postcode="00000"))
    text = page_text(wizard.client.get("/download").get_data(as_text=True))
    assert "the data protection authority of the federal state (Land) where you live (Article 77 GDPR)" in text


@pytest.mark.parametrize("language, message", [
    ("xx", "Not a valid choice."),
])
def test_letter_language_errors(wizard, language, message):
    wizard.submit("/request-type", {"request_type": "access"})
    wizard.submit("/company", {"company": "clearview-ai"})
    wizard.submit("/sending", {"channels": ["letter", "email"]})
    wizard.submit("/your-details", PERSON)
    response = wizard.submit("/letter-language", {"letter_language": language})
    assert response.status_code == 400
    assert response.get_data(as_text=True).count(message) == 2


def test_letter_language_defaults_to_the_companys_language(wizard):
    wizard.submit("/request-type", {"request_type": "access"})
    wizard.submit("/company", {"company": "clearview-ai"})
    wizard.submit("/sending", {"channels": ["letter", "email"]})
    wizard.submit("/your-details", PERSON)
    html = wizard.client.get("/letter-language").get_data(as_text=True)
    assert '<option value="en" lang="en" selected>English</option>' in html
    assert "A letter in the company's own language is likely to be answered fastest." in page_text(html)


def test_how_the_letter_is_sent_is_asked_after_the_company(wizard):
    wizard.submit("/request-type", {"request_type": "access"})
    wizard.submit("/company", {"company": "lenso-ai"})
    html = wizard.client.get("/sending").get_data(as_text=True)
    # Lenso recommends post, and says so, but post is not ticked for the person: accepting it would make
    # them give their home address.
    assert "checked" not in html and 'value="letter"' in html and 'value="webform"' in html
    assert "Lenso.ai recommends the first way in this list." in page_text(html)
    assert 'value="email"' not in html  # Lenso has no email address
    response = wizard.submit("/sending", {"channels": []})
    assert response.status_code == 400
    assert response.get_data(as_text=True).count("Select how you will send the letter.") == 2
    assert wizard.submit("/sending", {"channels": ["email"]}).status_code == 400  # not a way to reach Lenso


@pytest.mark.parametrize("companies, ticked", [
    (["clearview-ai"], ["email"]),  # its recommended way
    (["clearview-ai", "pimeyes"], ["email"]),  # every one takes email
    (["pimeyes", "lenso-ai"], []),  # Lenso takes no email: nothing, rather than post for both (review N4)
    (["lenso-ai", "facecheck-id"], []),
    (["facecheck-id"], ["webform"]),  # the only way
    (["public-mirror"], ["letter"]),  # the only way
])
def test_post_is_never_ticked_while_another_way_exists(wizard, companies, ticked):
    wizard.submit("/request-type", {"request_type": "access"})
    wizard.submit("/company", {"company": companies})
    html = wizard.client.get("/sending").get_data(as_text=True)
    assert re.findall(r'value="([a-z]+)" checked', html) == ticked


def test_the_sending_page_says_plainly_what_to_do(wizard):
    """Review N13: no sentence about the letter's internals before the choice; it is on "check your answers"."""
    wizard.submit("/request-type", {"request_type": "access"})
    wizard.submit("/company", {"company": ["clearview-ai", "lenso-ai"]})
    text = page_text(wizard.client.get("/sending").get_data(as_text=True))
    assert ("Select every way you will send it. Email is fastest. Each letter names only the ways its own company "
            "offers.") in text
    assert "Also sent by email to" not in text
    wizard.submit("/sending", {"channels": ["letter", "email"]})
    wizard.submit("/your-details", PERSON)
    wizard.submit("/letter-language", {"letter_language": "en"})
    text = page_text(wizard.client.get("/check-answers").get_data(as_text=True))
    assert ("How you will send it By post By email A letter that you post and also email says so on it. "
            "Change how you will send it") in text


def test_changing_to_a_company_without_that_channel_asks_again(wizard):
    wizard.answer_all("access", channels=["email"])
    response = wizard.submit("/company?return=check", {"company": "lenso-ai"})
    assert response.location.endswith("/sending?return=check")


def test_answers_too_long_for_the_state_are_refused_on_their_page(wizard, monkeypatch):
    import app.wizard.views as views
    wizard.submit("/request-type", {"request_type": "access"})
    wizard.submit("/company", {"company": "clearview-ai"})
    wizard.submit("/sending", {"channels": ["letter", "email"]})
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
    assert ("Through the company's removal request form: this page explains how to reach it. "
            "Attach the PDF, or paste its text. https://facecheck.id/Face-Search/FAQ") in text


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
    wizard.submit("/sending", {"channels": ["letter", "email"]})
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
    assert ("As far as we know, Clearview AI is established in none of these places, so neither law covers a "
            "letter to it from where you live") in text
    # N-H4: companies established in the Union answer anyone, and the page offers them.
    assert ("These companies are established in the European Union and must answer a GDPR request from anyone, "
            "wherever they live: Lenso.ai, Public Mirror Sp. z o.o.") in text
    assert 'href="/company?return=check"' in response.get_data(as_text=True)
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
    assert '<option value="en" lang="en" selected>English</option>' in html and '<option value="de"' not in html
    assert "Your letter relies on the UK GDPR, which exists only in English" in page_text(html)
    assert wizard.submit("/letter-language", {"letter_language": "de"}).status_code == 400
    wizard.submit("/letter-language", {"letter_language": "en"})
    text = page_text(wizard.client.get("/download").get_data(as_text=True))
    assert "you can complain to the Information Commissioner's Office (ICO)" in text
    assert "the data protection authority of the country where you live" not in text
    assert "(Article 15(3) UK GDPR)" in pdf_text(wizard.download().data)


@pytest.mark.parametrize("country, name", [("US", "United States"), ("CH", "Switzerland"), ("GB", "United Kingdom")])
def test_a_person_anywhere_gets_a_gdpr_letter_to_a_company_established_in_the_union(wizard, country, name):
    """N-H4: Lenso.ai (Wrocław) is bound by the GDPR whoever writes to it (Art. 3(1), recital 14), in any of
    the GDPR's languages; the download page names the Polish authority."""
    wizard.submit("/request-type", {"request_type": "access"})
    wizard.submit("/company", {"company": "lenso-ai"})
    wizard.submit("/sending", {"channels": ["letter"]})
    wizard.submit("/your-details", dict(PERSON, country=country))
    html = wizard.client.get("/letter-language").get_data(as_text=True)
    assert '<option value="de"' in html and '<option value="pl"' in html
    wizard.submit("/letter-language", {"letter_language": "en"})
    assert wizard.client.get("/check-answers").status_code == 200
    text = page_text(wizard.client.get("/download").get_data(as_text=True))
    assert ("You live outside the European Union, but the company is established in it: you can complain to the "
            "data protection authority of the country where it is established, UODO") in text
    assert "Information Commissioner's Office (ICO)" not in text
    letter = pdf_text(wizard.download().data)
    assert "(Article 3(1) GDPR and recital 14)" in letter and "UK GDPR)" not in letter.replace(
        "(Article 3(2)(b) UK GDPR)", "")


def test_with_several_companies_only_those_a_law_covers_get_a_letter(wizard):
    """A person in the USA choosing Clearview AI and Lenso.ai: a letter to Lenso.ai only, and the check page
    says why there is none to Clearview AI."""
    wizard.submit("/request-type", {"request_type": "access"})
    wizard.submit("/company", {"company": ["clearview-ai", "lenso-ai"]})
    wizard.submit("/sending", {"channels": ["letter", "email"]})
    wizard.submit("/your-details", dict(PERSON, country="US"))
    wizard.submit("/letter-language", {"letter_language": "company"})
    text = page_text(wizard.client.get("/check-answers").get_data(as_text=True))
    assert ("No letter to Clearview AI: as far as we know, it is established neither in the European Union, "
            "Iceland, Liechtenstein or Norway nor in the United Kingdom, and you live in United States, so neither "
            "the GDPR nor the UK GDPR covers a letter to it.") in text
    response = wizard.download()
    assert response.mimetype == "application/pdf"
    letter = pdf_text(response.data)
    assert "LENSO AI S.A." in letter and "Clearview" not in letter


def test_a_uk_resident_writing_to_a_uk_and_an_eu_company_can_choose_english_only(wizard):
    wizard.submit("/request-type", {"request_type": "access"})
    wizard.submit("/company", {"company": ["clearview-ai", "lenso-ai"]})
    wizard.submit("/sending", {"channels": ["letter", "email"]})
    wizard.submit("/your-details", dict(PERSON, country="GB"))
    html = wizard.client.get("/letter-language").get_data(as_text=True)
    assert '<option value="en"' in html and '<option value="de"' not in html
    assert '<option value="company"' in html


def test_moving_to_the_uk_asks_for_the_letter_language_again(wizard):
    wizard.answer_all("access", letter_language="de")
    wizard.submit("/your-details?return=check", dict(PERSON, country="GB"))
    assert wizard.client.get("/check-answers").location.endswith("/letter-language")


def test_download_page_due_dates_skip_weekends_and_holidays(wizard, set_today):
    set_today(date(2026, 12, 1))
    wizard.answer_all("access", channels=["email"])
    text = page_text(wizard.client.get("/download").get_data(as_text=True))
    # Email on 1 December: due 1 January, a public holiday in the US (Clearview), so Monday 4 January.
    assert "by 4 January 2027 if you email it today" in text


# --- issue 11: the accessibility and content review ------------------------------------------------------

def details_after(wizard, channels, company="clearview-ai"):
    wizard.submit("/request-type", {"request_type": "access"})
    wizard.submit("/company", {"company": company})
    wizard.submit("/sending", {"channels": channels})


def test_the_country_is_asked_first(wizard):
    """Review N15: it decides whether the person is covered at all; it came last, after the address."""
    details_after(wizard, ["email"])
    html = wizard.client.get("/your-details").get_data(as_text=True)
    assert html.index('id="country"') < html.index('id="full_name"') < html.index('id="street"')
    assert '<label class="label" for="country">Country where you live</label>' in html
    html = wizard.submit("/your-details", {}).get_data(as_text=True)
    summary = html[html.index('class="error-summary"'):]
    summary = summary[:summary.index("</ul>")]
    assert summary.index("Select your country.") < summary.index("Enter your full name.")


def test_the_postal_address_is_optional_unless_the_letter_is_posted(wizard):
    details_after(wizard, ["email"])
    html = wizard.client.get("/your-details").get_data(as_text=True)
    assert "Postal address (optional)" in html
    assert "You will not send the letter by post, so the company does not need your address" in page_text(html)
    no_address = dict(PERSON, street="", postcode="", city="")
    assert wizard.submit("/your-details", no_address).location.endswith("/letter-language")
    wizard.submit("/letter-language", {"letter_language": "en"})
    text = page_text(wizard.client.get("/check-answers").get_data(as_text=True))
    assert "Postal address Germany Change postal address" in text
    assert "Sent by email to" in pdf_text(wizard.download().data)
    # Posting it after all: the address is asked for again.
    wizard.submit("/sending?return=check", {"channels": ["letter", "email"]})
    assert wizard.client.get("/check-answers").location.endswith("/your-details")
    response = wizard.submit("/your-details", no_address)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    for message in ("Enter your street and house number.", "Enter your postcode.", "Enter your town or city."):
        assert html.count(message) == 2
    assert "You will send the letter by post, so it needs a return address" in page_text(html)


def test_a_country_without_postcodes_needs_none_and_a_second_address_line_is_printed(wizard):
    details_after(wizard, ["letter"])
    irish = dict(PERSON, postcode="", country="IE", street="Main Street", address_line_2="c/o Safe Ireland",
                 city="Athlone")
    assert wizard.submit("/your-details", irish).location.endswith("/letter-language")
    wizard.submit("/letter-language", {"letter_language": "en"})
    text = pdf_text(wizard.download().data)
    assert "Main Street c/o Safe Ireland Athlone Ireland" in text


def test_each_question_says_where_the_person_is_and_the_total_never_changes(wizard):
    """Review N9: the caption's total is the same whatever the answers (it once went from 5 to 7)."""
    assert "Part 1 of 3: Your request" in wizard.client.get("/request-type").get_data(as_text=True)
    wizard.submit("/request-type", {"request_type": "access"})
    assert "Part 1 of 3: Your request" in wizard.client.get("/company").get_data(as_text=True)
    wizard.answer_all("both", grounds=["unlawful-biometric", "objection"], reason=REASON)
    for slug, caption in [("request-type", "Part 1 of 3: Your request"), ("sending", "Part 1 of 3: Your request"),
                          ("your-details", "Part 2 of 3: About you"),
                          ("letter-language", "Part 3 of 3: Your letter"),
                          ("objection-reason", "Part 3 of 3: Your letter"),
                          ("recollection", "Part 3 of 3: Your letter")]:
        html = wizard.client.get(f"/{slug}").get_data(as_text=True)
        assert f'<span class="caption">{caption}</span>' in html, slug
        assert "of 4" not in html and "Question" not in html


@pytest.mark.parametrize("path", ["/", "/request-type", "/privacy", "/no-such-page"])
def test_every_page_says_when_the_answers_are_deleted_and_links_the_help(tmp_path, path):
    from app import create_app
    app = create_app({"SECRET_KEY": SECRET, "HOST_CONTACT_URL": "https://ngo.example/help",
                      "COMPANIES_FOLDER": str(tmp_path)})
    html = app.test_client().get(path).get_data(as_text=True)
    assert "Your answers are deleted 2 hours after you started, and you then start again." in html
    header = html[html.index('<header class="site-header">'):html.index("</header>")]
    assert '<a class="help-link" href="https://ngo.example/help">Get help</a>' in header


def test_a_form_lives_as_long_as_the_answers(tmp_path):
    from app import create_app
    app = create_app({"SECRET_KEY": SECRET, "STATE_MAX_AGE": 5400, "COMPANIES_FOLDER": str(tmp_path)})
    assert app.config["WTF_CSRF_TIME_LIMIT"] == 5400
    text = page_text(app.test_client().get("/").get_data(as_text=True))
    assert "Your answers are deleted 90 minutes after you started" in text


def test_the_language_button_keeps_what_was_typed(wizard):
    details_after(wizard, ["email"])
    html = wizard.client.get("/your-details").get_data(as_text=True)
    header = html[html.index('<nav class="languages"'):html.index("</nav>")]
    assert '<button type="submit" form="question-form" name="switch_language" value="" class="link-button language-link">' \
        in header
    response = wizard.client.post("/your-details", data={"csrf_token": csrf_token(html), "switch_language": "",
                                                          "full_name": "Sofia Rossi", "city": "Roma"})
    assert response.status_code == 302 and response.location == "/language?next=/your-details"
    response = wizard.client.get("/language/de?next=/your-details")
    assert response.location == "/your-details"
    html = wizard.client.get("/your-details").get_data(as_text=True)
    assert '<html lang="de">' in html and 'value="Sofia Rossi"' in html and 'value="Roma"' in html
    assert "error-summary" not in html
    # Kept once: a later visit shows the saved answers only.
    assert 'value="Sofia Rossi"' not in wizard.client.get("/your-details").get_data(as_text=True)


def test_a_page_that_is_not_a_wizard_question_links_to_the_languages(wizard):
    html = wizard.client.get("/request-type").get_data(as_text=True)
    assert 'name="switch_language"' in html
    for path in ("/", "/privacy", "/continue"):
        html = wizard.client.get(path).get_data(as_text=True)
        assert 'name="switch_language"' not in html, path
        assert f'<a class="language-link" href="/language?next={path}">' in html, path


def test_start_and_continue_are_real_buttons_and_the_error_summary_takes_focus(wizard):
    html = wizard.client.get("/").get_data(as_text=True)
    assert 'role="button"' not in html
    assert '<form method="get" action="/request-type">' in html
    html = wizard.submit("/request-type", {}).get_data(as_text=True)
    assert 'class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" autofocus' in html


def test_a_campaign_link_says_which_company_is_chosen(client):
    client.get("/company/pimeyes")
    text = page_text(client.get("/").get_data(as_text=True))
    assert "You are writing to PimEyes." in text
    assert "You have answers from earlier" not in text


def test_the_413_page_leads_back_to_the_photo(wizard):
    wizard.answer_all("access")
    html = wizard.client.post("/download", data=b"x" * (11 * 1024 * 1024),
                              content_type="multipart/form-data; boundary=x")
    assert html.status_code == 413
    assert '<a href="/download">Choose a smaller photo</a>' in html.get_data(as_text=True)


def test_language_options_carry_their_language(wizard):
    details_after(wizard, ["email"])
    wizard.submit("/your-details", PERSON)
    html = wizard.client.get("/letter-language").get_data(as_text=True)
    assert '<option value="el" lang="el">Ελληνικά</option>' in html


def test_only_language_codes_are_given_as_lang(wizard):
    """Review N8 (WCAG 3.1.2): "each company's own language" is in the page language, not lang="company"."""
    wizard.submit("/request-type", {"request_type": "access"})
    wizard.submit("/company", {"company": ["clearview-ai", "pimeyes"]})
    wizard.submit("/sending", {"channels": ["email"]})
    wizard.submit("/your-details", PERSON)
    html = wizard.client.get("/letter-language").get_data(as_text=True)
    assert '<option value="company" selected>' in html and '<option value="de" lang="de">Deutsch</option>' in html
    languages = set(re.findall(r'<option value="[^"]*" lang="([^"]*)"', html))
    assert languages == set(available_locales()) and "company" not in languages


def test_the_download_page_shows_the_letter_and_its_page_count(wizard):
    wizard.answer_all("access", channels=["email"])
    html = wizard.client.get("/download").get_data(as_text=True)
    pages = int(re.search(r"Download your letter \(PDF, (\d) pages\)", html).group(1))
    text = pdf_text(wizard.download().data)
    assert f"Page {pages} of {pages}" in text
    start = html.index('<section class="letter-preview" lang="en"')
    preview = html[start:html.index("</section>", start)]
    # Review N17: one level below the page's step heading ("2. Read it before you send it", an h2).
    assert "<h3>Request for access to my personal data under" in preview and "<h4>" in preview
    assert "<h1" not in preview and "<h2" not in preview
    assert "Maria Müller-Łęcka" in preview and "Dear Sir or Madam," in preview
    # Review N2: the download comes before the letter's text, and again after it.
    buttons = [match.start() for match in re.finditer(r"Download your letter \(PDF, \d pages\)</button>", html)]
    assert len(buttons) == 2 and buttons[0] < start < buttons[1]
    assert '<button type="submit" form="question-form" class="button">' in html  # the second submits the same form
    # The page and the letter are in the same language: no copy for the records.
    assert "records-copy" not in html and wizard.client.post("/download/records-copy").status_code == 302


def test_the_copy_for_the_records_is_in_the_page_language_and_marked(wizard):
    wizard.answer_all("access", channels=["email"])
    wizard.client.get("/language/de")
    html = wizard.client.get("/download").get_data(as_text=True)
    assert 'lang="de"' in html and "Für Ihre Unterlagen, nicht absenden" in html
    response = wizard.client.post("/download/records-copy", data={"csrf_token": csrf_token(html)})
    assert response.headers["Content-Disposition"].endswith('-access-de-for-your-records.pdf"')
    text = pdf_text(response.data)
    assert "Auskunftsersuchen" in text or "Auskunft" in text
    assert "Für Ihre Unterlagen, nicht absenden" in text
    assert wizard.client.post("/download/records-copy", data={}).status_code == 302  # no token, no letter


def test_the_download_page_says_to_keep_the_pdf_and_where_to_come_back(wizard):
    """Review N5: the follow-ups need the PDF; the page says so and links "Continue a request"."""
    wizard.answer_all("access", channels=["email"])
    html = wizard.client.get("/download").get_data(as_text=True)
    assert ("Keep this PDF: it carries your answers. If the company does not answer, or asks who you are, come back "
            "with it and we will write your reply or your complaint: Continue a request : upload the PDF of your "
            "letter.") in page_text(html)
    assert '<li><a href="/continue">Continue a request</a>:' in html


def test_the_file_input_is_explained_in_the_page_language(wizard):
    """Review N18: the browser names its file button in its own language; the hint says so in the page's."""
    wizard.answer_all("access", channels=["email"])
    wizard.client.get("/language/el")
    html = wizard.client.get("/download").get_data(as_text=True)
    hint = html[html.index('id="photo-hint"'):html.index('id="photo"')]
    assert "«Επιλογή αρχείου»" in hint


# --- issue 10: the security review ----------------------------------------------------------------------

# Review F13: invisible marks were accepted; only overrides and isolates were refused.
INVISIBLE_MARKS = {"LRM": "\u200e", "RLM": "\u200f", "ALM": "\u061c", "ZWSP": "\u200b", "BOM": "\ufeff",
                   "tag A": "\U000e0041", "line separator": "\u2028", "paragraph separator": "\u2029",
                   "word joiner": "\u2060", "soft hyphen": "\u00ad", "lone ZWJ": "\u200d", "lone ZWNJ": "\u200c"}


@pytest.mark.parametrize("field", ["full_name", "street", "city", "postcode"])
@pytest.mark.parametrize("mark", INVISIBLE_MARKS.values(), ids=INVISIBLE_MARKS.keys())
def test_invisible_marks_are_refused_in_names_and_addresses(wizard, field, mark):
    wizard.submit("/request-type", {"request_type": "access"})
    wizard.submit("/company", {"company": "clearview-ai"})
    wizard.submit("/sending", {"channels": ["letter", "email"]})
    value = f"12{mark} Main" if field != "full_name" else f"Maria{mark} Müller"
    if "lone" in [name for name, char in INVISIBLE_MARKS.items() if char == mark][0]:
        value = f"{mark}{value}"
    response = wizard.submit("/your-details", dict(PERSON, **{field: value}))
    assert response.status_code == 400
    assert response.get_data(as_text=True).count("Remove the invisible or control characters from this answer.") == 2


@pytest.mark.parametrize("mark", ["\u200e", "\u2028", "\u200b"])
def test_invisible_marks_are_refused_in_the_objection_reason(wizard, mark):
    wizard.answer_all("erasure", grounds=["objection"], reason=REASON)
    response = wizard.submit("/objection-reason", {"objection_reason": REASON + mark + "."})
    assert response.status_code == 400
    assert "Remove the invisible or control characters from this answer." in response.get_data(as_text=True)


def test_joiners_between_letters_are_kept_for_the_scripts_that_need_them(wizard):
    """Persian needs a zero-width non-joiner inside words (می‌خواهم); Indic scripts a joiner."""
    wizard.submit("/request-type", {"request_type": "access"})
    wizard.submit("/company", {"company": "clearview-ai"})
    wizard.submit("/sending", {"channels": ["letter", "email"]})
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
    html = wizard.client.get("/delete-answers").get_data(as_text=True)
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
    # Several companies' references, and the typed company's answer, have shapes of their own too.
    {"answers": {}, "references": {"pimeyes": 5}}, {"answers": {}, "references": ["FR-20261129-K7Q2XM"]},
    {"answers": {"other-company": {"name": "Acme"}}},
    {"answers": {"other-company": {name: ["x"] for name in ("name", "street", "postcode", "city", "country", "email")}}},
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


# --- issue 17, point 5: reporting a bounced address or a changed channel to the host -----------------------

def test_the_download_page_offers_a_report_to_the_hosts_mailbox_without_personal_data(tmp_path):
    from urllib.parse import unquote
    from app import create_app
    app = create_app({"TESTING": True, "SECRET_KEY": SECRET, "COMPANIES_FOLDER": str(tmp_path),
                      "HOST_NAME": "Digital Rights Example", "HOST_CONTACT_URL": "mailto:help@ngo.example"})
    wizard = Wizard(app.test_client())
    wizard.answer_all("access")
    html = wizard.client.get("/download").get_data(as_text=True)
    assert "If an address bounces or has changed" in page_text(html)
    (link,) = re.findall(r'href="(mailto:help@ngo.example\?[^"]+)"', html)
    query = parse_qs(urlsplit(html_unescape(link)).query)
    assert query["subject"] == ["Company details to check: Clearview AI"]
    body = query["body"][0]
    assert body.startswith("Company: Clearview AI (clearview-ai)\r\nContact details last checked on 29 November 2026.")
    assert "What happened" in body
    # Nothing of the person travels in the link.
    for personal in (PERSON["full_name"], PERSON["email"], PERSON["street"], "FR-"):
        assert personal not in unquote(link), personal


@pytest.mark.parametrize("contact, expected", [("https://ngo.example/contact", 'href="https://ngo.example/contact"'),
                                                (None, None)])
def test_the_report_link_follows_the_hosts_contact(tmp_path, contact, expected):
    from app import create_app
    settings = {"TESTING": True, "SECRET_KEY": SECRET, "COMPANIES_FOLDER": str(tmp_path)}
    if contact:
        settings["HOST_CONTACT_URL"] = contact
    wizard = Wizard(create_app(settings).test_client())
    wizard.answer_all("access")
    html = wizard.client.get("/download").get_data(as_text=True)
    assert ("Report a problem with the details of Clearview AI" in html) == bool(contact)
    if expected:
        assert expected in html and "mailto:" not in html.split("If an address bounces")[1].split("</ul>")[0]


def test_the_start_page_says_who_can_write_to_a_company_established_in_the_union(client):
    text = page_text(client.get("/").get_data(as_text=True))
    assert ("People who live elsewhere can write to a company established in the European Union: the GDPR binds it, "
            "whoever writes to it.") in text
