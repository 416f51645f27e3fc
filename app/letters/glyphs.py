"""How wide a text is in the letter fonts, from the font files: each glyph's advance, the kerning
of each pair and the standard ligatures, as shaping applies them (not the rarer features, such as
kerning across a ligature: pages.py allows for what is left).

Only characters and pairs of characters are kept between calls, never a word: the texts measured
hold the person's answers.
"""
from __future__ import annotations

import io
from functools import lru_cache

from .render import LETTER_TEMPLATES

FACES = {"regular": "NotoSerif-Regular.ttf", "bold": "NotoSerif-Bold.ttf", "italic": "NotoSerif-Italic.ttf"}
# Zero-width space, joiners and marks of direction, word joiner and its kin, BOM; the soft hyphen,
# which shows only where a line breaks at it. Shaping draws nothing for these, whatever glyph the
# font maps them to.
INVISIBLE = (*range(0x200B, 0x2010), *range(0x2060, 0x2065), 0xFEFF, 0xAD)


class MissingGlyph(KeyError):
    """A character the letter font does not have (the renderer would take it from another font)."""


class Face:
    def __init__(self, file_name: str):
        from fontTools.ttLib import TTFont

        # lazy: only the kern and liga lookups are read of the positioning and substitution tables,
        # a third of the time of reading them whole (this is done once per worker, at its warm-up).
        data = (LETTER_TEMPLATES / "fonts" / file_name).read_bytes()
        with TTFont(io.BytesIO(data), lazy=True) as font:
            self.units_per_em = font["head"].unitsPerEm
            metrics = font["hmtx"].metrics
            self.glyph_of = {chr(code): glyph for code, glyph in font.getBestCmap().items()}
            self.advance = {char: metrics[glyph][0] for char, glyph in self.glyph_of.items()}
            self.advance.update({chr(code): 0 for code in INVISIBLE})
            self._pair_positioning = _pair_positioning(font)
            self.ligatures = _ligature_changes(font, self.glyph_of, metrics)
        self._kerning = _Kerning(self)
        self._ligature_starts = {sequence[0] for sequence, _change in self.ligatures}

    def pair_value(self, first: str, second: str) -> int:
        """How much a pair of glyphs is kerned, in font units."""
        for pairs, classes in self._pair_positioning:  # the first subtable that has the pair decides
            if pairs is not None:
                value = pairs.get((first, second))
                if value is not None:
                    return value
            else:
                coverage, class_one, class_two, matrix = classes
                if first in coverage:
                    return matrix[class_one.get(first, 0)][class_two.get(second, 0)]
        return 0

    def units(self, text: str) -> int:
        """The width of ``text`` in font units: advances, then the kerning of each pair, then the
        ligatures."""
        try:
            width = sum(map(self.advance.__getitem__, text))
        except KeyError as missing:
            raise MissingGlyph(str(missing)) from None
        width += sum(map(self._kerning.__getitem__, zip(text, text[1:])))
        if not self._ligature_starts.isdisjoint(text):
            for sequence, change in self.ligatures:  # the longest first, as shaping takes them
                if sequence in text:
                    width += text.count(sequence) * change
                    text = text.replace(sequence, "\0")
        return width


# Pairs kept per face: every pair of a few alphabets, not the millions a font's characters allow (about 250
# bytes each), so that answers typed in ever new characters cannot grow a worker without bound.
MAX_KERNING_PAIRS = 50_000


class _Kerning(dict):
    """(first character, second character): kerning in font units, worked out for each pair the first
    time it is met and kept while there is room. Pairs of characters, not words: it holds nothing of an
    answer but its alphabet."""

    def __init__(self, face: Face):
        super().__init__()
        self._face = face

    def __missing__(self, pair: tuple[str, str]) -> int:
        first, second = (self._face.glyph_of.get(char) for char in pair)
        value = self._face.pair_value(first, second) if first and second else 0
        if len(self) < MAX_KERNING_PAIRS:
            self[pair] = value
        return value


def _subtables(font, table_name: str, feature: str):
    """The subtables of a feature's lookups, in order (those behind an extension lookup unwrapped)."""
    table = font[table_name].table
    lookups = sorted({index for record in table.FeatureList.FeatureRecord if record.FeatureTag == feature
                      for index in record.Feature.LookupListIndex})
    for index in lookups:
        for subtable in table.LookupList.Lookup[index].SubTable:
            yield getattr(subtable, "ExtSubTable", subtable)


def _pair_positioning(font) -> list:
    """The kern feature's pair adjustments, subtable by subtable: ({(glyph, glyph): x advance}, None)
    or (None, (covered glyphs, class of first, class of second, matrix of x advances))."""
    subtables = []
    for subtable in _subtables(font, "GPOS", "kern"):
        if subtable.Format == 1:
            pairs = {}
            for first, pair_set in zip(subtable.Coverage.glyphs, subtable.PairSet):
                for record in pair_set.PairValueRecord:
                    pairs[(first, record.SecondGlyph)] = getattr(record.Value1, "XAdvance", 0) or 0
            subtables.append((pairs, None))
        else:
            matrix = [[getattr(record.Value1, "XAdvance", 0) or 0 for record in row.Class2Record]
                      for row in subtable.Class1Record]
            subtables.append((None, (set(subtable.Coverage.glyphs), subtable.ClassDef1.classDefs,
                                     subtable.ClassDef2.classDefs, matrix)))
    return subtables


def _ligature_changes(font, glyph_of: dict[str, str], metrics) -> list[tuple[str, int]]:
    """The standard ligatures (fi, fl...): (the characters, how much narrower or wider they become)."""
    character_of = {glyph: char for char, glyph in glyph_of.items()}
    changes = []
    for subtable in _subtables(font, "GSUB", "liga"):
        for first, ligatures in getattr(subtable, "ligatures", {}).items():
            for ligature in ligatures:
                glyphs = [first, *ligature.Component]
                if all(glyph in character_of for glyph in glyphs):
                    sequence = "".join(character_of[glyph] for glyph in glyphs)
                    change = metrics[ligature.LigGlyph][0] - sum(metrics[glyph][0] for glyph in glyphs)
                    changes.append((sequence, change))
    return sorted(changes, key=lambda item: -len(item[0]))


@lru_cache(maxsize=None)
def face(name: str) -> Face:
    return Face(FACES[name])


def em_width(text: str, face_name: str) -> float:
    """How wide ``text`` is in ``face_name`` ("regular", "bold" or "italic"), in em."""
    measured = face(face_name)
    return measured.units(text) / measured.units_per_em
