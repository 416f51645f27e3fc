"""The GOV.UK date input (app/wizard/forms.py DateInputField, templates/components/forms.html date_input),
for the pages that ask for a date: its validation messages, its markup, and axe in a real browser."""
import re
from datetime import date

import pytest
from flask import render_template_string, request
from wtforms.validators import ValidationError

from app import create_app
from app.wizard.forms import BaseForm, DateInputField
from conftest import SECRET, csrf_token, page_text, served

TODAY = date(2026, 12, 4)
PAGE = """{% extends "base.html" %}
{% from "components/forms.html" import error_summary, date_input, question_form %}
{% block title %}When did you send it?{% endblock %}
{% block content %}
{{ error_summary(form) }}
{% call question_form(form) %}{{ date_input(form.sent, legend_is_heading=true, caption="Part 1 of 2", example=example) }}{% endcall %}
{% if sent %}<p id="sent">{{ sent }}</p>{% endif %}
{% endblock %}"""


class SentForm(BaseForm):
    sent = DateInputField("When did you send it?",
                          missing="Enter the date you sent your letter.",
                          incomplete="The date you sent your letter must include a day, a month and a year.",
                          not_real="The date you sent your letter must be a real date.")

    def validate_sent(self, field):
        if field.data > TODAY:
            raise ValidationError("The date you sent your letter must be today or in the past.")


@pytest.fixture
def date_app(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": SECRET, "RATELIMIT_ENABLED": False,
                      "COMPANIES_FOLDER": str(tmp_path / "companies")})

    def page():
        form = SentForm(data={"sent": request.args.get("kept")})
        sent = form.answer()["sent"] if form.validate_on_submit() else None
        return render_template_string(PAGE, form=form, example=date(2026, 11, 29), sent=sent), \
            400 if request.method == "POST" and not sent else 200

    app.add_url_rule("/date-page", "date_page", page, methods=["GET", "POST"])
    return app


def post(client, **parts):
    html = client.get("/date-page").get_data(as_text=True)
    data = {"csrf_token": csrf_token(html), **{f"sent-{part}": value for part, value in parts.items()}}
    return client.post("/date-page", data=data)


@pytest.mark.parametrize("parts, message, marked", [
    ({}, "Enter the date you sent your letter.", ["day", "month", "year"]),
    ({"day": "", "month": "", "year": ""}, "Enter the date you sent your letter.", ["day", "month", "year"]),
    ({"day": "29", "month": "", "year": "2026"}, "The date you sent your letter must include a day, a month and a year.",
     ["month"]),
    ({"day": "29", "month": "13", "year": "2026"}, "The date you sent your letter must be a real date.", ["month"]),
    ({"day": "3rd", "month": "11", "year": "2026"}, "The date you sent your letter must be a real date.", ["day"]),
    ({"day": "29", "month": "11", "year": "26"}, "The date you sent your letter must be a real date.", ["year"]),
    ({"day": "31", "month": "4", "year": "2026"}, "The date you sent your letter must be a real date.", ["day"]),
    ({"day": "29", "month": "2", "year": "2026"}, "The date you sent your letter must be a real date.", ["day"]),
    ({"day": "٢٩", "month": "11", "year": "2026"}, "The date you sent your letter must be a real date.", ["day"]),
    ({"day": "5", "month": "12", "year": "2026"}, "The date you sent your letter must be today or in the past.",
     ["day", "month", "year"]),
])
def test_each_wrong_date_gets_its_message_next_to_the_boxes_it_is_about(date_app, parts, message, marked):
    response = post(date_app.test_client(), **parts)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert html.count(message) == 2  # in the summary and next to the field
    assert f'<a href="#sent-{marked[0]}">{message}</a>' in html  # the summary leads to the first box to correct
    assert re.findall(r'class="input date-input-(\w+) input-error"', html) == marked
    for part, value in parts.items():  # what was typed is shown again
        assert f'name="sent-{part}" type="text" inputmode="numeric" spellcheck="false" value="{value}"' in html


@pytest.mark.parametrize("parts", [{"day": "29", "month": "11", "year": "2026"},
                                   {"day": " 29 ", "month": "011", "year": "2026"}])
def test_a_real_date_is_read_as_one_date_and_kept_as_iso_text(date_app, parts):
    response = post(date_app.test_client(), **parts)
    assert response.status_code == 200 and '<p id="sent">2026-11-29</p>' in response.get_data(as_text=True)


def test_a_kept_date_fills_the_boxes_and_the_markup_follows_the_gov_uk_pattern(date_app):
    html = date_app.test_client().get("/date-page?kept=2026-11-03").get_data(as_text=True)
    assert '<fieldset class="fieldset" role="group" aria-describedby="sent-hint">' in html
    assert re.search(r'<legend class="legend-heading">\s*<span class="caption">Part 1 of 2</span>\s*'
                     r'<h1>When did you send it\?</h1>\s*</legend>', html)
    assert '<div class="hint" id="sent-hint">For example, 29 11 2026.</div>' in html
    for part, label, value in (("day", "Day", "3"), ("month", "Month", "11"), ("year", "Year", "2026")):
        assert f'<label class="label date-input-label" for="sent-{part}">{label}</label>' in html
        assert f'id="sent-{part}" name="sent-{part}" type="text" inputmode="numeric" spellcheck="false" ' \
               f'value="{value}"' in html
    greek = date_app.test_client()
    greek.get("/language/el")
    text = page_text(greek.get("/date-page").get_data(as_text=True))
    assert "Ημέρα" in text and "Μήνας" in text and "Έτος" in text and "Για παράδειγμα, 29 11 2026." in text


@pytest.mark.browser
@pytest.mark.parametrize("language", ["en", "de", "el"])
def test_the_date_input_passes_axe_at_320_and_1280_px(date_app, browser, language):
    from axe_playwright_python.sync_playwright import Axe

    from test_browser_a11y import WCAG_TAGS

    with served(date_app) as url:
        for width in (320, 1280):
            context = browser.new_context(viewport={"width": width, "height": 800})  # axe runs as JavaScript
            page = context.new_page()
            page.goto(f"{url}/language/{language}")
            page.goto(f"{url}/date-page")
            for state, parts in (("empty", {}), ("incomplete", {"day": "29"}), ("future", {"day": "5", "month": "12",
                                                                                          "year": "2026"})):
                for part, value in parts.items():
                    page.locator(f"#sent-{part}").fill(value)
                page.locator("#question-form button[type=submit]").click()
                page.wait_for_load_state("load")
                assert page.locator(".error-summary").count() == 1, state
                results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
                assert results.violations_count == 0, f"{language} {width} {state}:\n{results.generate_report()}"
                assert page.evaluate("document.documentElement.scrollWidth") <= width
            context.close()
