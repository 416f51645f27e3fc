"""The bundled letter fonts (templates/letters/fonts: Noto Serif, OFL) print every letter of every language.

A glyph missing from them would either fall back to another font of the machine (which the PDF then embeds,
or not, depending on the server) or print as an empty box (.notdef). Each face must map every character
(its cmap, read with fontTools, which WeasyPrint itself uses to subset fonts); and each line rendered in
regular, bold and italic through the letters' own renderer must embed our three faces only and read back
exactly. The text layer alone would not do: WeasyPrint maps a .notdef glyph back to the character it stands
for, so pdftotext reads "漢" even where the page shows an empty box.
"""
import re
import subprocess
import unicodedata

import pytest
from babel.messages.pofile import read_po
from fontTools.ttLib import TTFont

from app.i18n import TRANSLATIONS
from app.letters.pdf import html_to_pdf
from app.letters.render import LETTER_TEMPLATES
from language_letters import LANGUAGE_FILES, LANGUAGES, per_language

# The letters of the EEA's official languages beyond the basic Latin alphabet, written before their catalogs
# exist: Romanian ș ț, Latvian ķ ļ ņ ģ, Lithuanian ė į ų, Icelandic ð þ, Hungarian ő ű, Czech and Slovak ř ů ĺ ľ ŕ,
# Croatian and Slovenian đ č ć ž, Nordic å æ ø, Estonian õ, Maltese ċ ġ ħ ż, Irish á é, and Bulgarian Cyrillic.
EEA_LETTERS = ("ȘșȚțĂăÂâÎî ĶķĻļŅņĢģĪīŪūĒēĀāČčŠšŽž ĖėĮįŲų ÐðÞþÆæÖöÁáÉéÍíÓóÚúÝý ŐőŰű ĚěŘřŮůĎďŤťŇňĹĺĽľŔŕÔôÄä "
               "ĆćĐđ ÅåØø ÕõÜü ĊċĠġĦħŻż ß „“”‚‘’«»–—…€§ "
               "АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЬЮЯ абвгдежзийклмнопрстуфхцчшщъьюяѝ")


def letters_of(language: str) -> str:
    """Every character of the catalog (and its source texts) and the language file that is not plain ASCII,
    a space or a control character."""
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as file:
        catalog = read_po(file)
    texts = [*LANGUAGE_FILES[language].glossary.values()]
    for message in catalog:  # the source texts too: the English letters print them
        for text in (*(message.string if isinstance(message.string, tuple) else (message.string,)),
                     *(message.id if isinstance(message.id, tuple) else (message.id,))):
            texts.append(text or "")
    return "".join(sorted({char for char in "".join(texts)
                           if ord(char) > 127 and unicodedata.category(char)[0] not in "ZC"}))


FACES = {path.name: set(TTFont(path).getBestCmap()) for path in sorted((LETTER_TEMPLATES / "fonts").glob("*.ttf"))}


def test_the_three_faces_are_bundled():
    assert sorted(FACES) == ["NotoSerif-Bold.ttf", "NotoSerif-Italic.ttf", "NotoSerif-Regular.ttf"]
    assert (LETTER_TEMPLATES / "fonts" / "OFL.txt").is_file()


def printed(language: str, characters: str) -> tuple[str, str]:
    """pdffonts' listing and pdftotext's text of ``characters`` printed in regular, bold and italic."""
    line = " ".join(characters)
    html = (f'<!doctype html><html lang="{language}"><head><meta charset="utf-8"><title>{language}</title></head>'
            f"<body><p>{line}</p><p><b>{line}</b></p><p><i>{line}</i></p></body></html>")
    pdf = html_to_pdf(html)
    fonts = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return fonts, text


@per_language
@pytest.mark.parametrize("language, characters", [("eea-letters", EEA_LETTERS.replace(" ", ""))]
                         + [(code, None) for code in LANGUAGES])
def test_every_letter_of_every_language_prints_in_the_bundled_fonts(language, characters):
    characters = characters or letters_of(language)
    missing = {face: "".join(char for char in characters if ord(char) not in cmap) for face, cmap in FACES.items()}
    assert not any(missing.values()), missing
    fonts, text = printed("bg" if language == "eea-letters" else language, characters)
    faces = re.findall(r"^\S+\+(\S+)\s", fonts, re.MULTILINE)
    assert sorted(faces) == ["Letter-Serif", "Letter-Serif-Bold", "Letter-Serif-Italic"], fonts
    assert "Type 3" not in fonts and all(line.split()[-5:-2] == ["yes", "yes", "yes"]
                                         for line in fonts.splitlines()[2:]), fonts
    read_back = "".join(text.split())
    assert read_back == characters * 3, [char for char in characters if read_back.count(char) != 3]
