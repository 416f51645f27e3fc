"""How many pages a request letter's PDF has, worked out from its HTML without laying it out.

The download page says how many pages the PDF will have. Laying the letter out for that costs
about as much as making the PDF (0.6 to 0.8 of it: issue 18, bench/overhead.py), so the count is
worked out instead: each block's lines from the widths of its text in the letter fonts
(glyphs.py: advances, kerning, ligatures), greedily filled as Pango fills them, at the sizes,
widths and margins of letter.css; then the blocks put on pages by WeasyPrint's rules (orphans and
widows, headings kept with what follows them, a list kept with what comes before it, the ending
kept on one page). What is not certain is left open: a line that fits within WIDTH_MARGIN, a
break after a hyphen or slash where Unicode's rules look further around. Each block gets the
fewest and the most lines it can have, and a count is given only when every combination gives
the same number of pages. Otherwise, or for HTML with anything the model does not know (another
element, a character the fonts lack), the letter is laid out (pdf.page_count). So the count shown
is always the PDF's. tests/test_pages.py holds the download page's count to the PDF's for every
kind of request letter, in every language, with the shortest and the longest answers, and sees
that the model knows most of them.

The model mirrors templates/letters/letter.css (and WeasyPrint's own stylesheet for headings and
lists): change one, change the other; the test says when they part.
"""
from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from .glyphs import MissingGlyph, em_width
from .pdf import page_count as laid_out_page_count

MM_PER_PT = 25.4 / 72

# letter.css: A4 with margins 20 mm (12 mm on page 1) above and 22 mm below; 25 mm left, 20 mm right.
CONTENT_WIDTH = 210 - 25 - 20
FIRST_PAGE_HEIGHT = 297 - 12 - 22
PAGE_HEIGHT = 297 - 20 - 22
HEAD_HEIGHT = 33 + 45  # .sender and .head, of fixed heights; what is in them is out of the flow
LINE_HEIGHT = 1.4
LIST_INDENT = 7  # ol, ul padding-left; .user-text margin-left

# Widths are those of shaping but for its rarer features (kerning next to a space or across a ligature):
# a line that fits within this fraction either way may break either way.
WIDTH_MARGIN = 0.001
# Each block whose line count is open multiplies the cases to put on pages; beyond this many, lay out.
MOST_CASES = 64


class UnknownMarkup(ValueError):
    """The HTML has something the model does not know: lay the letter out instead."""


@dataclass(frozen=True)
class Style:
    size: float = 10.5  # pt
    margin_top: float = 0.0  # mm
    margin_bottom: float = 2.6
    extra: float = 0.0  # borders and padding, mm
    indent: float = 0.0
    width: float = CONTENT_WIDTH  # of the block's box, mm
    orphans: int = 2  # CSS's initial value; letter.css sets 3 on p
    widows: int = 2
    keep_with_next: bool = False  # break-after: avoid (headings, in WeasyPrint's own stylesheet)
    unbreakable: bool = False  # break-inside: avoid (headings)
    pre_wrap: bool = False  # white-space: pre-wrap
    anywhere: bool = False  # overflow-wrap: anywhere
    face: str = "regular"


HEADING = {"keep_with_next": True, "unbreakable": True, "face": "bold"}
STYLES = {
    "h1": Style(size=11.5, margin_top=8, margin_bottom=5, **HEADING),
    "h2": Style(margin_top=4.5, margin_bottom=1.5, **HEADING),
    "h2.part": Style(size=11, margin_top=6, margin_bottom=1.5, extra=0.3 + 0.8, **HEADING),
    "p": Style(orphans=3, widows=3),
    "p.user-text": Style(orphans=3, widows=3, indent=LIST_INDENT, pre_wrap=True, anywhere=True, face="italic"),
    "li": Style(margin_bottom=1, indent=LIST_INDENT),
    "li.url": Style(margin_bottom=1, indent=LIST_INDENT, anywhere=True),
    "li.url.unbroken": Style(margin_bottom=1, indent=LIST_INDENT, anywhere=True),
    "li.decisions": Style(margin_bottom=0.6, indent=LIST_INDENT),
    "div.signature-line": Style(margin_top=14, margin_bottom=0, extra=0.3 + 1, width=70),
}
LIST_MARGIN_BOTTOM = 2.6
CLOSING_MARGIN_TOP = 6


def _em_width(text: str, face: str) -> float:
    try:
        return em_width(text, face)
    except MissingGlyph:
        raise UnknownMarkup("a character the letter font does not have") from None


@dataclass
class Block:
    style: Style
    runs: list  # [(text, face, unbreakable)]
    group: int | None = None  # blocks of one group stay on one page (.ending)
    keep_with_previous: bool = False  # a list's first item: ol, ul { break-before: avoid } (WeasyPrint's)
    fewest: int = 0
    most: int = 0


# Where a line may break: after spaces, and after a hyphen, slash or dash between two letters (as
# Pango breaks: "Müller-|Łęcka", "example.org/|path"). After one elsewhere ("-1", "//", a soft
# hyphen) maybe: Unicode's line-breaking rules look further around; the model leaves it open.
# No-break spaces and word joiners never.
_SPACES = re.compile(r"( +)")
_BREAK = re.compile(r"(?<=[^\W\d_][-/–])(?=[^\W\d_])")
_MAYBE_BREAK = re.compile(r"(?<=[-/–\xad])(?=\w)")
BREAK, MAYBE, NONE = "break", "maybe", "none"  # what may follow a piece
# Where Pango may break or end a line and the model does not follow it (Unicode's other break classes:
# other hyphens and dashes, the ellipsis, zero-width space, line and paragraph separators, and closing
# or exclamation marks run into a word): such text is laid out, not guessed.
_UNMODELLED = re.compile(r"[\u2010\u2012\u2014\u2015\u2026\u200b\u2028\u2029\x85\x0b\x0c]|[!?})\]](?=[^\W\d_])")


@dataclass
class Piece:
    """Text between two places where a line may break, in em of its font size."""
    width: float
    spaces: float = 0.0  # the spaces after it, which hang at the end of a line
    after: str = NONE  # NONE: the word goes on in the next run (<strong>...</strong>, then text)
    anywhere: bool = False  # too wide for a line, it may break between any two letters


def _split(token: str) -> list[tuple[str, str]]:
    """A word, into its parts and the kind of break after each."""
    parts = []
    for chunk in _BREAK.split(token):
        maybe_parts = _MAYBE_BREAK.split(chunk)
        parts += [(part, MAYBE) for part in maybe_parts[:-1]] + [(maybe_parts[-1], BREAK)]
    parts[-1] = (parts[-1][0], NONE)
    return parts


def _pieces(runs: list, style: Style) -> list[list[Piece]]:
    """The block's paragraphs (forced line breaks split them), each a list of pieces."""
    paragraphs: list[list[Piece]] = [[]]
    for text, face, unbreakable in runs:
        if style.pre_wrap and "\t" in text:
            raise UnknownMarkup("a tab in preserved white space")
        if not unbreakable and _UNMODELLED.search(text):
            raise UnknownMarkup("a line break the model does not follow")
        for index, line in enumerate(text.split("\n") if style.pre_wrap else [re.sub(r"[ \t\n\r]+", " ", text)]):
            if index:
                paragraphs.append([])
            pieces = paragraphs[-1]
            for token in [line] if unbreakable else _SPACES.split(line):
                if not token:
                    continue
                if token[0] == " " and not unbreakable:
                    if pieces:
                        pieces[-1].spaces += _em_width(token, face)
                        pieces[-1].after = BREAK
                    elif style.pre_wrap:  # preserved spaces that begin a line take its room
                        pieces.append(Piece(0.0, _em_width(token, face), BREAK))
                    continue
                for part, after in [(token, NONE)] if unbreakable else _split(token):
                    width = _em_width(part, face)
                    if pieces and pieces[-1].after == NONE:
                        pieces[-1].width += width  # a run that begins inside a word joins it
                    else:
                        pieces.append(Piece(width, anywhere=style.anywhere and not unbreakable))
                    pieces[-1].after = after
    return paragraphs


def _lines(paragraphs: list[list[Piece]], available: float, maybe_breaks: bool, loss: float) -> int:
    """Greedy filling, as Pango breaks lines (``available`` in em), with or without the maybe breaks;
    a word too wide for a line is broken anywhere if it may be, each line it fills losing ``loss`` em
    (it breaks between letters), else it overflows its line."""
    count = 0
    for pieces in paragraphs:
        words: list[list] = []
        joined = False
        for piece in pieces:
            if joined:
                words[-1] = [words[-1][0] + piece.width, piece.spaces, words[-1][2] and piece.anywhere]
            else:
                words.append([piece.width, piece.spaces, piece.anywhere])
            joined = piece.after == NONE or (piece.after == MAYBE and not maybe_breaks)
        used = None
        count += not words
        for width, spaces, anywhere in words:
            if used is not None and used + width <= available:
                used += width + spaces
                continue
            count += 1
            while anywhere and width > available:
                count += 1
                width -= available - loss
            used = width + spaces
    return count


def line_range(block: Block) -> tuple[int, int]:
    """The fewest and the most lines the block can have once shaped, whichever way the uncertain
    breaks go."""
    style = block.style
    available = (style.width - style.indent) / (style.size * MM_PER_PT)
    paragraphs = _pieces(block.runs, style)
    return (min(_lines(paragraphs, available / (1 - WIDTH_MARGIN), maybe, 0) for maybe in (True, False)),
            max(_lines(paragraphs, available / (1 + WIDTH_MARGIN), maybe, 1) for maybe in (True, False)))


class _Flow(HTMLParser):
    """The blocks of a letter's body that flow after its head, up to the photo (which the count leaves out)."""

    CONTAINERS = {"ul", "ol", "ul.decisions", "ol.items", "div.ending", "div.closing"}
    INLINE = {"strong", "span.unbroken"}
    VOID = {"meta", "br", "img", "link", "hr", "input", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._open: list[str] = []  # the element path, as "tag.class.class"
        self._started = self._ended = False
        self._block: Block | None = None
        self._block_depth = 0
        self._group = 0
        self._closing_starts = self._list_starts = False
        self._sections = 0

    def handle_starttag(self, tag, attrs):
        name = ".".join([tag, *(dict(attrs).get("class") or "").split()])
        if tag in self.VOID:
            if self._block is not None:
                raise UnknownMarkup(f"<{tag}> inside a block")
            return
        self._open.append(name)
        self._started = self._started or tag == "h1"
        if not self._started or self._ended:
            return
        if self._block is not None:
            if name not in self.INLINE:
                raise UnknownMarkup(f"<{name}> inside a block")
        elif name.startswith("section.photo"):
            self._ended = True
        elif name in self.CONTAINERS:
            self._group += name == "div.ending"
            self._closing_starts = name == "div.closing"
            self._list_starts = tag in ("ul", "ol")
        else:
            self._start_block(tag, name)

    def _start_block(self, tag: str, name: str) -> None:
        key = "li.decisions" if tag == "li" and self._open[-2] == "ul.decisions" else name
        if key not in STYLES:
            raise UnknownMarkup(f"<{name}>")
        style = STYLES[key]
        if self._closing_starts:  # .closing's top margin collapses into its first block's
            style = Style(**{**style.__dict__, "margin_top": max(style.margin_top, CLOSING_MARGIN_TOP)})
            self._closing_starts = False
        runs = []
        if tag == "h2":
            self._sections += 1  # h2::before: counter(section) ". "
            runs.append((f"{self._sections}. ", "bold", False))
        self._block = Block(style, runs, group=self._group if "div.ending" in self._open else None,
                            keep_with_previous=self._list_starts)
        self._list_starts = False
        self._block_depth = len(self._open)
        self.blocks.append(self._block)

    def handle_endtag(self, tag):
        if tag in self.VOID or not self._open:
            return
        while self._open and self._open.pop().split(".")[0] != tag:
            pass
        if self._block is not None and len(self._open) < self._block_depth:
            self._block = None

    def handle_data(self, data):
        if self._block is None:
            if self._started and not self._ended and data.strip():
                raise UnknownMarkup("text outside a block")
            return
        face = "bold" if "strong" in self._open else self._block.style.face
        unbreakable = any(name.endswith(".unbroken") for name in self._open[self._block_depth - 1:])
        self._block.runs.append((data, face, unbreakable))


def flow_blocks(html: str) -> list[Block]:
    reader = _Flow()
    reader.feed(html)
    if not reader.blocks:
        raise UnknownMarkup("no letter body")
    for block in reader.blocks:
        block.fewest, block.most = line_range(block)
    _collapse_list_margins(reader.blocks)
    return reader.blocks


def _collapse_list_margins(blocks: list[Block]) -> None:
    """The last item of a list takes the list's bottom margin where it is larger (margins collapse)."""
    for block, following in zip(blocks, blocks[1:] + [None]):
        in_list = block.style in LIST_ITEMS
        if in_list and (following is None or following.style not in LIST_ITEMS):
            block.style = Style(**{**block.style.__dict__,
                                   "margin_bottom": max(block.style.margin_bottom, LIST_MARGIN_BOTTOM)})


LIST_ITEMS = [STYLES[key] for key in STYLES if key.startswith("li")]


def _line_height(style: Style) -> float:
    return style.size * LINE_HEIGHT * MM_PER_PT


def paginate(blocks: list[Block], lines: list[int]) -> int:
    """The number of pages, the blocks (with these line counts) put on pages as WeasyPrint does."""
    lines = list(lines)
    page, y, bottom_margin, height = 1, float(HEAD_HEIGHT), 0.0, float(FIRST_PAGE_HEIGHT)
    placed: list[tuple[int, bool]] = []  # for each block placed whole or begun: (page, at the top of it)
    index = 0
    while index < len(blocks):
        block, count, style = blocks[index], lines[index], blocks[index].style
        at_top = y == 0
        top = y if at_top else y + max(bottom_margin, style.margin_top)  # margins after a break are dropped
        first_of_group = block.group is not None and (index == 0 or blocks[index - 1].group != block.group)
        if first_of_group and not at_top and _group_bottom(blocks, lines, index, top) > height:
            index = _break_before(blocks, placed, index, page)  # the group goes whole to the next page
        else:
            bottom = top + count * _line_height(style) + style.extra
            if bottom <= height:
                del placed[index:]
                placed.append((page, at_top))
                y, bottom_margin, index = bottom, style.margin_bottom, index + 1
                continue
            fits = min(int((height - top - style.extra) // _line_height(style)), count - style.widows)
            if at_top or (fits >= style.orphans and not style.unbreakable):
                fits = max(fits, 1)
                del placed[index:]
                placed.append((page, at_top))
                lines[index] = count - fits  # the rest starts the next page
            else:
                index = _break_before(blocks, placed, index, page)
        page, y, bottom_margin, height = page + 1, 0.0, 0.0, float(PAGE_HEIGHT)
    return page


def _break_before(blocks, placed, index: int, page: int) -> int:
    """Where the next page begins when block ``index`` cannot start on this one: before the blocks that
    must stay with it (a heading before, a list's first item after), unless one of them began the
    page, in which case the break goes where it must."""
    start = index
    while start > 0 and (blocks[start - 1].style.keep_with_next or blocks[start].keep_with_previous):
        if placed[start - 1] != (page, False):
            return index
        start -= 1
    return start


def _group_bottom(blocks, lines, index: int, top: float) -> float:
    group, y, bottom_margin = blocks[index].group, top, None
    while index < len(blocks) and blocks[index].group == group:
        style = blocks[index].style
        if bottom_margin is not None:
            y += max(bottom_margin, style.margin_top)
        y += lines[index] * _line_height(style) + style.extra
        bottom_margin, index = style.margin_bottom, index + 1
    return y


def estimated_page_count(html: str) -> int | None:
    """The page count when the model is sure of it, else None."""
    try:
        blocks = flow_blocks(html)
    except UnknownMarkup:
        return None
    choices = [range(block.fewest, block.most + 1) for block in blocks]
    if math.prod(len(choice) for choice in choices) > MOST_CASES:
        return None
    counts = {paginate(blocks, list(lines)) for lines in itertools.product(*choices)}
    return counts.pop() if len(counts) == 1 else None


def page_count(html: str) -> int:
    """How many pages the PDF of ``html`` (a request letter, or its copy for the records) has, without its
    photo: worked out when the model is sure of it, else laid out."""
    return estimated_page_count(html) or laid_out_page_count(html)
