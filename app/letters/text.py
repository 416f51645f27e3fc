"""The letter as plain text, for a web form or an email body: the same templates as the PDF.

The letter's HTML (render.py) is read back into text: one paragraph per block,
list items with the markers the PDF prints, headings numbered as the PDF
numbers them (letter.css), and nothing from <head> or <style>. There is no second
copy of the legal text to keep in step.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

from ..i18n import language_file
from .model import Letter
from .render import render_letter_html

_BLOCKS = {"p", "div", "h1", "h2", "li", "ul", "ol", "header", "section", "dl", "dt", "dd", "address"}
_SKIPPED = {"head", "style", "title", "script"}
_LATIN_ITEMS = "abcdefghijklmnopqrstuvwxyz"
# WeasyPrint's own marker for unordered lists.
BULLET = "•"


class _TextBuilder(HTMLParser):
    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        # The markers of the counter style _base.html makes from the language file, if it has its own.
        self.point_markers = language_file(language).ordered_list_markers
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.skipping = 0
        self.lists: list[list] = []  # [kind, next item number]
        self.section = 0

    def _flush(self) -> None:
        text = re.sub(r"[ \t\r\n]+", " ", "".join(self.current)).strip()
        if text:
            self.blocks.append(text)
        self.current = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in _SKIPPED:
            self.skipping += 1
            return
        if tag in _BLOCKS:
            self._flush()
        classes = (attributes.get("class") or "").split()
        if tag in ("ul", "ol"):
            self.lists.append([tag if "items" in classes or tag == "ul" else "ol-plain", 0])
        elif tag == "li" and self.lists:
            kind = self.lists[-1]
            kind[1] += 1
            self.current.append(self._marker(kind[0], kind[1]))
        elif tag == "h2" and "part" not in classes and "unnumbered" not in classes:
            self.section += 1
            self.current.append(f"{self.section}. ")
        elif tag == "img" and attributes.get("alt"):
            self.current.append(f"[{attributes['alt']}]")
        elif tag == "br":
            self.current.append("\n")

    def _marker(self, kind: str, number: int) -> str:
        if kind == "ul":
            return f"{BULLET} "
        if kind == "ol" and self.point_markers:
            return f"{self.point_markers[(number - 1) % len(self.point_markers)]}) "
        if kind == "ol":
            return f"{_LATIN_ITEMS[(number - 1) % 26]}. "
        return f"{number}. "

    def handle_endtag(self, tag):
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
            return
        if tag in _BLOCKS:
            self._flush()
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()

    def handle_data(self, data):
        if not self.skipping:
            self.current.append(data)

    def text(self) -> str:
        self._flush()
        return "\n\n".join(self.blocks) + "\n"


def html_to_text(html: str, language: str) -> str:
    builder = _TextBuilder(language)
    builder.feed(html)
    builder.close()
    # The PDF keeps citations on one line with no-break spaces and word joiners; plain text needs neither.
    return builder.text().replace("\u00a0", " ").replace("\u2060", "")


def letter_text(letter: Letter) -> str:
    """The whole letter as plain text in its own language. Render inside an app context."""
    return html_to_text(render_letter_html(letter), letter.language)
