"""What the in-process benchmarks share: the app, visitors, the letters they download, and the bare
WeasyPrint renders every figure is compared with.

Letters are made only the way a visitor makes them (bench/wizard_client.py through the app's own
pages), never from a Letter or answers built here; the HTML a letter was rendered from is read off
WeasyPrint as the app calls it (``watching_weasyprint``), so the bare render is of exactly what the
visitor got. Two bare references, both as WeasyPrint's documentation recommends (one FontConfiguration
and parsed CSS reused, the default URL fetcher, the letter's PDF/UA variant):

- **same HTML**: the letter's own HTML and stylesheet; what FaceRights adds around WeasyPrint;
- **same length**: the letter's own text as plain paragraphs, over again until it fills as many pages
  as the letter, with the letter's fonts, size, line height and page margins and nothing else (no
  page head, footers, lists, keep-together rules or attachment): the simplest tagged document of the
  same length, in the same language; what the letter's layout costs per page.

Absolute times move with the machine and its other users; ratios to a reference measured in the same
run, alternating run by run, do not (much): the targets are ratios.
"""
from __future__ import annotations

import argparse
import gc
import html as html_escape
import io
import re
import statistics
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from app import create_app
from app.health import warm_up_worker
from app.letters.pdf import BASE_URL, PDF_VARIANT
from app.letters.render import LETTER_TEMPLATES

from .load import PERSON, REASON, typical_photo
from .server import BENCH_SECRET
from .wizard_client import InProcessClient

LETTER_CSS = LETTER_TEMPLATES / "letter.css"

# Long answers, near what the forms accept: a long name, street and email, five long web addresses,
# and an objection reason of 1,500 characters (MAX_REASON).
LONGEST_PERSON = {
    "full_name": "Maria-Magdalena Müller-Łęcka von Hohenzollern-Sigmaringen y Fernández de Córdoba",
    "email": "maria.magdalena.mueller-lecka@example-organisation.example.org",
    "street": "Hauptstraße 12, Hinterhaus, Aufgang C, 3. Obergeschoss links",
    "postcode": "10115", "city": "Berlin", "country": "DE",
    "profile_urls": "\n".join(f"https://photos.example.org/albums/{n}/summer-festival-2026/"
                              f"participants/maria-magdalena-mueller-lecka-{n}.jpg" for n in range(1, 6)),
}
LONGEST_REASON = (REASON + " ") * 20
LONGEST_REASON = LONGEST_REASON[:1500].rsplit(" ", 1)[0] + "."
# The typed company of a letter to a company not in the registry.
OTHER_COMPANY = {"name": "Example Faces Ltd", "street": "1 High Street", "postcode": "EC1A 1BB", "city": "London",
                 "country": "GB", "email": "privacy@example.org"}


@dataclass(frozen=True)
class Case:
    """A letter as a visitor asks for it."""
    request_type: str
    person: dict = field(default_factory=lambda: PERSON)
    reason: str = ""
    language: str = "en"
    photo: bool = False
    page_language: str = "en"  # the visitor's browser language: a letter in another gets a copy to read

    def visit(self, app, companies=("clearview-ai",), channels=("email",)) -> InProcessClient:
        """A new visitor who has answered every question (the download page not yet seen); ``channels``
        None ticks every way the companies can be reached."""
        client = InProcessClient(app=app, headers={"Accept-Language": self.page_language})
        client.answer_wizard(self.person, request_type=self.request_type, company=list(companies),
                             reason=self.reason, language=self.language, channels=channels,
                             other_company=OTHER_COMPANY if "other" in companies else None)
        return client


SHORTEST = Case("access")
LONGEST = Case("both", person=LONGEST_PERSON, reason=LONGEST_REASON)


def bench_app(**config):
    """The app as a worker runs it, warmed up as gunicorn.conf.py warms a worker after the fork; rate
    limits off (one visitor downloads again and again)."""
    app = create_app({"SECRET_KEY": BENCH_SECRET, "RATELIMIT_ENABLED": False, **config})
    warm_up_worker(app)
    return app


@dataclass
class Watched:
    html: list[str] = field(default_factory=list)  # every HTML document WeasyPrint was given
    layouts: int = 0  # how many times it laid out a document (a PDF, or a page count)


@contextmanager
def watching_weasyprint():
    """Record what the app asks of WeasyPrint, whatever path inside the app leads there."""
    watched = Watched()
    original_init, original_render = HTML.__init__, HTML.render

    def init(self, *args, string=None, **kwargs):
        if string is not None:
            watched.html.append(string)
        original_init(self, *args, string=string, **kwargs)

    def render(self, *args, **kwargs):
        watched.layouts += 1
        return original_render(self, *args, **kwargs)

    HTML.__init__, HTML.render = init, render
    try:
        yield watched
    finally:
        HTML.__init__, HTML.render = original_init, original_render


def pdf_pages(pdf: bytes) -> int:
    from pypdf import PdfReader
    return len(PdfReader(io.BytesIO(pdf)).pages)


class _Paragraphs(HTMLParser):
    """The text of a document's body, one paragraph per block."""
    BLOCKS = {"p", "li", "h1", "h2", "h3", "div", "dt", "dd", "header", "section", "address", "br", "ol", "ul"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._text: list[str] = []
        self._in_body = False

    def _flush(self):
        text = " ".join("".join(self._text).split())
        if text:
            self.paragraphs.append(text)
        self._text = []

    def handle_starttag(self, tag, attrs):
        self._in_body = self._in_body or tag == "body"
        if tag in self.BLOCKS:
            self._flush()

    def handle_endtag(self, tag):
        if tag in self.BLOCKS or tag == "body":
            self._flush()

    def handle_data(self, data):
        if self._in_body:
            self._text.append(data)


def _plain_document(paragraphs: list[str], language: str, title: str) -> str:
    body = "\n".join(f"<p>{html_escape.escape(text)}</p>" for text in paragraphs)
    return f'<!doctype html><html lang="{language}"><head><meta charset="utf-8"><title>{title}</title></head>' \
           f"<body>\n{body}\n</body></html>"


def plain_html(letter_html: str, paragraphs: int | None = None) -> str:
    """The letter's text, in its language and under its title, as plain paragraphs; with ``paragraphs``,
    its paragraphs over again until there are that many."""
    language = re.search(r'<html lang="([^"]+)"', letter_html).group(1)
    title = re.search(r"<title>(.*?)</title>", letter_html, re.DOTALL).group(1)
    reader = _Paragraphs()
    reader.feed(letter_html)
    texts = reader.paragraphs
    if paragraphs is not None:
        texts = [texts[n % len(texts)] for n in range(paragraphs)]
    return _plain_document(texts, language, title)


def plain_css() -> str:
    """The letter's fonts (its own @font-face rules), size, line height, paragraph spacing and page margins."""
    faces = "\n".join(re.findall(r"@font-face\s*{[^}]*}", LETTER_CSS.read_text()))
    return faces + """
@page { size: A4; margin: 20mm 20mm 22mm 25mm; }
html { font-family: "Letter Serif"; font-size: 10.5pt; line-height: 1.4; }
body { margin: 0; }
p { margin: 0 0 2.6mm 0; }
"""


class Bare:
    """WeasyPrint used as its documentation recommends, with the letter's PDF variant."""

    def __init__(self):
        self.font_config = FontConfiguration()
        self.letter_css = CSS(filename=str(LETTER_CSS), font_config=self.font_config)
        self.plain_css = CSS(string=plain_css(), base_url=BASE_URL, font_config=self.font_config)

    def same_html(self, html: str) -> bytes:
        return HTML(string=html, base_url=BASE_URL).write_pdf(stylesheets=[self.letter_css],
                                                              font_config=self.font_config, pdf_variant=PDF_VARIANT)

    def plain(self, plain: str) -> bytes:
        return HTML(string=plain, base_url=BASE_URL).write_pdf(stylesheets=[self.plain_css],
                                                               font_config=self.font_config, pdf_variant=PDF_VARIANT)

    def plain_pages(self, plain: str) -> int:
        return len(HTML(string=plain, base_url=BASE_URL).render(stylesheets=[self.plain_css],
                                                                font_config=self.font_config).pages)

    def same_length(self, letter_html: str, pages: int) -> str:
        """The plain reference of the same length: the letter's text as plain paragraphs, over again
        as far as it goes on ``pages`` full pages (the most paragraphs that still make ``pages``)."""
        fewest, most = 1, 1
        while self.plain_pages(plain_html(letter_html, most)) <= pages:
            fewest, most = most, most * 2
        while fewest < most - 1:  # fewest fits on ``pages``, most does not
            middle = (fewest + most) // 2
            if self.plain_pages(plain_html(letter_html, middle)) <= pages:
                fewest = middle
            else:
                most = middle
        return plain_html(letter_html, fewest)


def alternating(functions: dict, runs: int, warm_up: int = 2) -> dict[str, float]:
    """Median CPU seconds of each function, run in turn (a, b, c, a, b, c, ...) so that what the
    machine's other users do falls on all of them alike. CPU time of this process, not wall time:
    rendering is single-threaded and CPU-bound, and on a shared machine the wall clock also counts
    the time other processes held the core. Python's garbage collector runs between the calls, not
    during them (as timeit does): else a collection of everything the calls before left would fall,
    cycle after cycle, on whichever call happens to trigger it."""
    for _ in range(warm_up):
        for function in functions.values():
            function()
    times = {name: [] for name in functions}
    for _ in range(runs):
        for name, function in functions.items():
            gc.collect()
            gc.disable()
            try:
                started = time.process_time()
                function()
                times[name].append(time.process_time() - started)
            finally:
                gc.enable()
    return {name: statistics.median(values) for name, values in times.items()}


def options(description: str, runs: int, smoke: str, argv=None) -> argparse.Namespace:
    """The command line of an in-process benchmark: --runs, and --smoke (one run, no warm-up, the
    smallest settings that still go through every path; described by ``smoke``). Sets ``warm_up``."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=runs)
    parser.add_argument("--smoke", action="store_true", help=f"{smoke}: does it still work?")
    args = parser.parse_args(argv)
    args.runs, args.warm_up = (1, 0) if args.smoke else (args.runs, 2)
    return args


def ms(seconds: float) -> float:
    return round(1000 * seconds, 1)


def today() -> str:
    return date.today().isoformat()


def date_boxes(name: str, day: str) -> dict[str, str]:
    """A date as the GOV.UK date input posts it: ``<name>-day``, ``<name>-month``, ``<name>-year``."""
    year, month, day_of_month = day.split("-")
    return {f"{name}-day": day_of_month, f"{name}-month": month, f"{name}-year": year}

