"""The renderer reads the bundled letter assets and the photo, and nothing else."""
import pytest

from app.letters.pdf import BlockedResource, LetterAssetFetcher, html_to_pdf
from app.letters.render import LETTER_TEMPLATES
from conftest import pdf_text


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    (LETTER_TEMPLATES / "fonts" / ".." / ".." / ".." / "app" / "config.py").as_uri(),
    (LETTER_TEMPLATES / "_base.html").as_uri(),
    "file://localhost/etc/passwd",
    "http://127.0.0.1:9/",
    "https://example.org/tracker.png",
    "ftp://example.org/x",
    "data:text/css,body{color:red}",
])
def test_fetcher_refuses_everything_but_letter_assets(url):
    with pytest.raises(BlockedResource):
        LetterAssetFetcher("data:image/jpeg;base64,AAAA").fetch(url)


def test_fetcher_serves_the_fonts_and_the_one_photo():
    fetcher = LetterAssetFetcher("data:image/jpeg;base64,/9j/")
    font = fetcher.fetch((LETTER_TEMPLATES / "fonts" / "NotoSerif-Regular.ttf").as_uri())
    assert font.read(4) == b"\x00\x01\x00\x00"
    assert fetcher.fetch("data:image/jpeg;base64,/9j/").read() == b"\xff\xd8\xff"


def test_raw_hostile_html_reaches_no_file_and_no_server(app, canary):
    """Even HTML that escaped autoescaping could not make WeasyPrint fetch anything."""
    base, hits = canary
    hostile = f"""<html lang="en"><head><title>t</title>
    <link rel="stylesheet" href="{base}/link.css">
    <style>@import url({base}/import.css); p {{ background: url({base}/bg.png) }}</style></head>
    <body><p>visible text</p><img src="{base}/img.png" alt="x"><img src="file:///etc/passwd" alt="y">
    <link rel="attachment" href="file:///etc/passwd"><iframe src="{base}/frame"></iframe>
    <object data="{base}/object"></object></body></html>"""
    with app.app_context():
        pdf = html_to_pdf(hostile)
    assert "visible text" in pdf_text(pdf)
    assert hits == []
    assert b"root:x:0:0" not in pdf and b"/EmbeddedFile" not in pdf
