"""The return line above the address window: what a post office needs to send the letter back.

The window shows 80 mm of it. The line keeps, in this order of importance, the country, the town with its
postcode, the street, a second address line (a c/o line: without it returned mail may not arrive) and
the name: it shrinks the type from 7 to 6 pt first, then shortens the name, visibly, word by word, then
drops the second address line, then cuts the street; only an address whose town and country alone do not
fit is cut at its end.

Widths are measured with the letter's own font (the same file WeasyPrint embeds), not guessed from the
number of characters: Greek, Polish or wide capitals take more room than Latin lower case.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from fontTools.ttLib import TTFont

from ..i18n import ROOT

FONT = ROOT / "templates" / "letters" / "fonts" / "NotoSerif-Regular.ttf"
WINDOW_MM = 80.0
# Type sizes tried, largest first (letter.css has a class for each).
SIZES_PT = (7.0, 6.5, 6.0)
SEPARATOR = ", "
ELLIPSIS = "…"
_MM_PER_PT = 25.4 / 72


@dataclass(frozen=True)
class ReturnLine:
    text: str
    size_pt: float

    @property
    def css_class(self) -> str:
        """"size-7", "size-6-5", "size-6": letter.css sets the type size."""
        return "size-" + f"{self.size_pt:g}".replace(".", "-")


@lru_cache(maxsize=1)
def _metrics() -> tuple[dict[int, str], dict[str, int], int, int]:
    with TTFont(str(FONT)) as font:
        return (dict(font.getBestCmap()),
                {name: advance for name, (advance, _lsb) in font["hmtx"].metrics.items()},
                font["head"].unitsPerEm, font["hmtx"].metrics[".notdef"][0])


def width_mm(text: str, size_pt: float) -> float:
    """The width of ``text`` set in the letter's regular font at ``size_pt``."""
    cmap, advances, units, missing = _metrics()
    total = sum(advances.get(cmap.get(ord(char), ".notdef"), missing) for char in text)
    return total / units * size_pt * _MM_PER_PT


def _fits(text: str, size_pt: float) -> bool:
    return width_mm(text, size_pt) <= WINDOW_MM


def _shortened_names(name: str):
    """The name, then shorter and shorter with an ellipsis: "Aoife Siobhán Ní…", "Aoife Siobhán…", "Aoife…"."""
    words = name.split()
    yield name
    for count in range(len(words) - 1, 0, -1):
        yield " ".join(words[:count]).rstrip(",") + ELLIPSIS


def _cut(text: str, size_pt: float) -> str:
    """``text`` cut at the last whole word that fits, with the ellipsis (the last resort)."""
    words = text.split(" ")
    while len(words) > 1 and not _fits(" ".join(words) + ELLIPSIS, size_pt):
        words.pop()
    return " ".join(words).rstrip(" ,") + ELLIPSIS


def return_line(name: str, street: str, line_2: str, town: str, country: str) -> ReturnLine:
    """The return line of a sender, or an empty one for a sender without a postal address."""
    if not (street or town):
        return ReturnLine("", SIZES_PT[0])
    smallest = SIZES_PT[-1]
    address = [part for part in (street, line_2, town, country) if part]
    for size in SIZES_PT:
        if _fits(SEPARATOR.join([name] + address), size):
            return ReturnLine(SEPARATOR.join([name] + address), size)
    for kept in (address, [part for part in (street, town, country) if part]):
        for shorter in _shortened_names(name):
            text = SEPARATOR.join([shorter] + kept)
            if _fits(text, smallest):
                return ReturnLine(text, smallest)
    # A street too long even then: the shortest name, the street cut to what fits, the town and the country.
    shortest = list(_shortened_names(name))[-1]
    words = street.split(" ")
    while words:
        text = SEPARATOR.join([shortest, " ".join(words).rstrip(" ,") + ELLIPSIS]
                              + [part for part in (town, country) if part])
        if _fits(text, smallest):
            return ReturnLine(text, smallest)
        words.pop()
    return ReturnLine(_cut(SEPARATOR.join([name] + address), smallest), smallest)
