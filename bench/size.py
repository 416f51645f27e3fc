"""Benchmark 5: size of the letters.

    .venv/bin/python -m bench.size

The shortest and the longest letter, without a photo and with a typical phone
photo (a 12-megapixel JPEG of a face-like scene at phone quality), and with a
worst case (12 megapixels of fine noise, which JPEG cannot compress).
Targets: the shortest letter under 60 KB without a photo, under 250 KB with a
typical phone photo.
"""
from __future__ import annotations

import io
import json
import sys
from datetime import date

from app import create_app
from app.letters import letter_pdf
from app.letters.model import letter_from_answers
from app.letters.photo import prepare_photo

from .load import typical_photo as noise_photo
from .machine import describe, exit_status
from .overhead import CASES, answers_for
from .server import BENCH_SECRET


def phone_photo() -> bytes:
    """4000 x 3000, smooth shading with some edges and sensor noise, saved as phones do (quality 92)."""
    from PIL import Image, ImageDraw, ImageFilter
    image = Image.linear_gradient("L").resize((3000, 4000)).convert("RGB")
    draw = ImageDraw.Draw(image)
    draw.ellipse((800, 900, 2200, 2700), fill=(214, 170, 140))
    draw.ellipse((1150, 1500, 1350, 1650), fill=(60, 40, 30))
    draw.ellipse((1650, 1500, 1850, 1650), fill=(60, 40, 30))
    draw.rectangle((0, 3100, 3000, 4000), fill=(40, 60, 110))
    noise = Image.effect_noise((3000, 4000), 12).convert("RGB")
    image = Image.blend(image, noise, 0.08).filter(ImageFilter.GaussianBlur(1.2))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=92)
    return buffer.getvalue()


def main() -> int:
    app = create_app({"SECRET_KEY": BENCH_SECRET})
    registry = app.extensions["facerights.registry"]
    photos = {"typical phone photo": phone_photo(), "worst case (noise)": noise_photo()}
    report = {"machine": describe(), "photo_bytes": {name: len(data) for name, data in photos.items()},
              "letters": {}}
    with app.test_request_context():
        prepared = {name: prepare_photo(data) for name, data in photos.items()}
        for case_name, case in CASES.items():
            for photo_name, photo in [("no photo", None)] + list(prepared.items()):
                letter = letter_from_answers(answers_for(case), registry, language="en", today=date(2026, 11, 29),
                                             reference="FR-20261129-SIZE01", photo=photo)
                report["letters"][f"{case_name}, {photo_name}"] = round(len(letter_pdf(letter)) / 1024, 1)
    report["photo_in_letter_kb"] = {name: round(len(photo.jpeg) / 1024, 1) for name, photo in prepared.items()}
    print(json.dumps(report, indent=2))
    shortest = "shortest letter (access)"
    problems = []
    if report["letters"][f"{shortest}, no photo"] >= 60:
        problems.append("shortest letter without photo is 60 KB or more")
    if report["letters"][f"{shortest}, typical phone photo"] >= 250:
        problems.append("shortest letter with a typical phone photo is 250 KB or more")
    return exit_status(problems)


if __name__ == "__main__":
    sys.exit(main())
