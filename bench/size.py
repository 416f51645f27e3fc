"""Benchmark 5: size of the letters.

    .venv/bin/python -m bench.size [--smoke]

The shortest and the longest letter (bench/reference.py), as a visitor downloads them,
without a photo and with a typical phone
photo (a 12-megapixel JPEG of a face-like scene at phone quality), and with a
worst case (12 megapixels of fine noise, which JPEG cannot compress).
Beside each, the bare reference: WeasyPrint's PDF of the same HTML without what FaceRights adds (the
embedded answers). Targets: the shortest letter under 60 KB without a photo, under 250 KB with a
typical phone photo.
"""
from __future__ import annotations

import argparse
import io
import json
import sys

from app.letters.photo import prepare_photo

from .load import typical_photo as noise_photo
from .machine import describe, exit_status
from .reference import LONGEST, SHORTEST, Bare, bench_app, watching_weasyprint

CASES = {"shortest letter (access)": SHORTEST, "longest letter (both, objection, longest answers)": LONGEST}


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


def kb(data: bytes) -> float:
    return round(len(data) / 1024, 1)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="the shortest letter without a photo: does it still work?")
    args = parser.parse_args(argv)
    app, bare = bench_app(), Bare()
    photos = {} if args.smoke else {"typical phone photo": phone_photo(), "worst case (noise)": noise_photo()}
    cases = dict(list(CASES.items())[:1]) if args.smoke else CASES
    report = {"machine": describe(), "photo_bytes": {name: len(data) for name, data in photos.items()},
              "letters_kb": {}, "bare_kb": {}}
    for case_name, case in cases.items():
        client = case.visit(app)
        token = client.token("/download")
        for photo_name, photo in [("no photo", None)] + list(photos.items()):
            with watching_weasyprint() as letter:
                reply = client.download(photo, token=token)
            if reply.status != 200:
                raise AssertionError(f"{case_name}, {photo_name}: POST /download answered {reply.status}")
            report["letters_kb"][f"{case_name}, {photo_name}"] = kb(reply.body)
            report["bare_kb"][f"{case_name}, {photo_name}"] = kb(bare.same_html(letter.html[0]))
    with app.test_request_context():
        report["photo_in_letter_kb"] = {name: kb(prepare_photo(data).jpeg) for name, data in photos.items()}
    print(json.dumps(report, indent=2))
    shortest, letters = "shortest letter (access)", report["letters_kb"]
    problems = []
    if letters[f"{shortest}, no photo"] >= 60:
        problems.append("shortest letter without photo is 60 KB or more")
    if letters.get(f"{shortest}, typical phone photo", 0) >= 250:
        problems.append("shortest letter with a typical phone photo is 250 KB or more")
    return exit_status(problems)


if __name__ == "__main__":
    sys.exit(main())
