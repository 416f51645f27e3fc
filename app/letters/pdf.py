"""HTML -> PDF with WeasyPrint, closed to the file system and the network.

Per worker thread we keep one FontConfiguration and the parsed letter
stylesheet: WeasyPrint's default creates a new FontConfiguration per render,
which leaks about 220 KB of native memory each time and costs a third more time.
"""
from __future__ import annotations

import mimetypes
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pydyf
from weasyprint import CSS, HTML, Attachment, __version__ as WEASYPRINT_VERSION
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .render import LETTER_TEMPLATES

# The only files the renderer may read: the letter stylesheet and its fonts.
LETTER_ASSETS = (LETTER_TEMPLATES / "letter.css", LETTER_TEMPLATES / "fonts")
BASE_URL = LETTER_TEMPLATES.as_uri() + "/"
PDF_VARIANT = "pdf/ua-1"  # tagged, with title and language: readable by screen readers


# The letter names its maker, not the renderer and its version (which would tell an
# attacker which vulnerabilities to try on the service that made it).
PRODUCER = "FaceRights"


def _name_the_producer(document, pdf) -> None:
    """A WeasyPrint finisher: Producer in the Info dictionary and in the XMP metadata."""
    pdf.info["Producer"] = pydyf.String(PRODUCER)
    renderer = f"WeasyPrint {WEASYPRINT_VERSION}".encode()
    for item in pdf.objects:
        if isinstance(item, pydyf.Stream) and item.extra.get("Type") == "/Metadata":
            item.stream = [chunk.replace(renderer, PRODUCER.encode()) if isinstance(chunk, bytes) else chunk
                           for chunk in item.stream]


def _give_list_items_bodies(pdf) -> None:
    """Put the text of each tagged list item (LI) into a list body (LBody) after its label (Lbl), as PDF/UA
    tags a list item. WeasyPrint does so for a marker outside the item, not for one inside it (letter.css):
    it leaves that text's tags directly under the LI."""
    for item in list(pdf.objects):
        if not (isinstance(item, pydyf.Dictionary) and item.get("Type") == "/StructElem" and item.get("S") == "/LI"):
            continue
        labels = [kid for kid in item["K"] if _tag(pdf, kid) == "/Lbl"]
        body = [kid for kid in item["K"] if kid not in labels]
        if not body or [_tag(pdf, kid) for kid in body] == ["/LBody"]:
            continue
        lbody = pydyf.Dictionary({"Type": "/StructElem", "S": "/LBody", "K": pydyf.Array(body),
                                  "Pg": item["Pg"], "P": item.reference})
        pdf.add_object(lbody)
        for kid in body:
            if isinstance(kid, bytes):  # a structure element's reference, not a marked-content id
                pdf.objects[int(kid.split()[0])]["P"] = lbody.reference
        item["K"] = pydyf.Array(labels + [lbody.reference])


def _tag(pdf, kid) -> str | None:
    """The structure type of an element's kid given by reference ("12 0 R"); None for a marked-content id."""
    return pdf.objects[int(kid.split()[0])].get("S") if isinstance(kid, bytes) else None


def _finish(document, pdf) -> None:
    """A WeasyPrint finisher: what the PDF needs beyond what WeasyPrint writes."""
    _name_the_producer(document, pdf)
    _give_list_items_bodies(pdf)


class BlockedResource(ValueError):
    """Raised for any URL the letter may not load; WeasyPrint then leaves it out."""


def _is_letter_asset(path: Path) -> bool:
    return any(path == asset or path.is_relative_to(asset) for asset in LETTER_ASSETS) and path.is_file()


class LetterAssetFetcher(URLFetcher):
    """Serves the bundled letter assets and one data: URI (the person's photo); nothing else."""

    def __init__(self, allowed_data_uri: str | None = None):
        super().__init__(timeout=1, allowed_protocols={"file", "data"}, allow_redirects=False)
        self._allowed_data_uri = allowed_data_uri

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            if self._allowed_data_uri is not None and url == self._allowed_data_uri:
                return super().fetch(url, headers)
            raise BlockedResource("data: URI other than the photo")
        parts = urlsplit(url)
        if parts.scheme == "file" and not parts.netloc:
            path = Path(unquote(parts.path)).resolve()
            if _is_letter_asset(path):
                content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})
        raise BlockedResource("not a letter asset")


class _WorkerResources(threading.local):
    """Built lazily, once per thread; warm_up() builds them before the first request."""
    font_config: FontConfiguration | None = None
    stylesheet: CSS | None = None

    def get(self) -> tuple[FontConfiguration, CSS]:
        if self.font_config is None:
            self.font_config = FontConfiguration()
            self.stylesheet = CSS(filename=str(LETTER_TEMPLATES / "letter.css"), base_url=BASE_URL,
                                  font_config=self.font_config, url_fetcher=LetterAssetFetcher())
        return self.font_config, self.stylesheet


_resources = _WorkerResources()


def _document(html: str, photo_data_uri: str | None) -> HTML:
    return HTML(string=html, base_url=BASE_URL, url_fetcher=LetterAssetFetcher(photo_data_uri))


def html_to_pdf(html: str, photo_data_uri: str | None = None, record: tuple[str, str, str] | None = None,
                annexes: tuple[str, ...] = ()) -> bytes:
    """``record``: (file name, description, JSON text) embedded as the PDF's only attachment. PDF/UA-1
    asks an embedded file for /F, /UF and /Desc, which WeasyPrint writes. ``annexes``: the HTML of
    documents whose pages follow the letter's in the same PDF, each laid out on its own and the whole
    written once (as WeasyPrint's documentation combines documents): every page tagged, no second
    PDF to write and join, and the letter's metadata and record only."""
    # An Attachment is single-use: one per render. Its content is a string, so nothing is fetched.
    attachments = [Attachment(string=record[2], name=record[0], description=record[1], relationship="Data",
                              url_fetcher=LetterAssetFetcher())] if record else []
    documents = [_laid_out(html, photo_data_uri), *(_laid_out(annex) for annex in annexes)]
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf(pdf_variant=PDF_VARIANT, attachments=attachments, finisher=_finish)


def _laid_out(html: str, photo_data_uri: str | None = None):
    """The document of ``html`` laid out with the letter stylesheet, as its PDF will be."""
    font_config, stylesheet = _resources.get()
    return _document(html, photo_data_uri).render(stylesheets=[stylesheet], font_config=font_config,
                                                  pdf_variant=PDF_VARIANT)


def page_count(html: str) -> int:
    """How many pages the PDF of ``html`` has: the layout only, no PDF written."""
    return len(_laid_out(html).pages)
