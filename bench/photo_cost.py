"""Benchmark 6: what one uploaded photo costs a worker, whether it is accepted or refused.

    .venv/bin/python -m bench.photo_cost [--smoke]

Each photo is prepared in a fresh process that has imported the app and holds
the upload in memory, as a gunicorn worker does; the process reports the CPU
time of prepare_photo and how far its peak RSS rose above its RSS before.
The photos: the security review's costly images (F5), the largest photos still
accepted in every pixel layout, phone photos, progressive and CMYK JPEGs, and
hostile files. Targets: no photo grows the process by more than 150 MB or takes
more than 1 s of CPU. The figures are CPU time and memory of one process: the machine's other
users move them little.
"""
from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import time
from typing import Callable

from .machine import ROOT, describe, exit_status

MAX_GROWTH_MB = 150
MAX_CPU_S = 1.0


def _png(image, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", **options)
    return buffer.getvalue()


def _jpeg(image, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", **options)
    return buffer.getvalue()


def _scene(size, mode="RGB"):
    """Smooth shading with edges and some noise: closer to a photo than one flat colour."""
    from PIL import Image, ImageDraw, ImageFilter
    small = Image.effect_noise((size[0] // 16 or 1, size[1] // 16 or 1), 60).convert(mode)
    image = small.resize(size, Image.Resampling.BILINEAR)
    ImageDraw.Draw(image).ellipse((size[0] // 4, size[1] // 6, size[0] * 3 // 4, size[1] * 5 // 6), outline=0,
                                  width=max(size) // 200)
    return image.filter(ImageFilter.SMOOTH)


def cases() -> dict[str, Callable[[], bytes]]:
    """Each photo, made only when it is measured (some take seconds to make)."""
    from PIL import Image
    from app.letters.photo import MAX_PIXELS, MAX_SIDE
    side = int(MAX_PIXELS ** 0.5)  # the largest accepted square
    return {
        # The review's table (F5): all refused now.
        "review: 1 x 49,900,000 grey PNG": lambda: _png(Image.new("L", (1, 49_900_000)), optimize=True),
        "review: 2 x 24,000,000 grey PNG": lambda: _png(Image.new("L", (2, 24_000_000)), optimize=True),
        "review: 7000 x 7000 RGB PNG": lambda: _png(Image.new("RGB", (7000, 7000), (200, 150, 120))),
        "review: 7000 x 7000 16-bit RGBA PNG": lambda: _png(Image.new("I;16", (7000, 7000), 300)),
        "bomb: 20000 x 20000 1-bit PNG": lambda: _png(Image.new("1", (20_000, 20_000)), optimize=True),
        "tall: 2 x 10,000 grey PNG (accepted)": lambda: _png(Image.new("L", (2, MAX_SIDE))),
        "tall: 2 x 10,001 grey PNG": lambda: _png(Image.new("L", (2, MAX_SIDE + 1))),
        # The largest photos still accepted, in every layout a PNG can have.
        f"largest RGBA PNG {side} x {side}": lambda: _png(Image.new("RGBA", (side, side), (200, 150, 120, 128))),
        f"largest RGB PNG {side} x {side}": lambda: _png(Image.new("RGB", (side, side), (200, 150, 120))),
        f"largest 16-bit grey PNG {side} x {side}": lambda: _png(Image.new("I;16", (side, side), 3000)),
        f"largest palette PNG {side} x {side}": lambda: _png(Image.new("P", (side, side), 3)),
        f"largest 1-bit PNG {side} x {side}": lambda: _png(Image.new("1", (side, side), 1)),
        f"largest LA PNG {side} x {side}": lambda: _png(Image.new("LA", (side, side), (100, 200))),
        # JPEGs: a phone photo, the largest accepted baseline and progressive, CMYK.
        "phone JPEG 4000 x 3000": lambda: _jpeg(_scene((4000, 3000)), quality=92),
        f"largest baseline JPEG {side} x {side}": lambda: _jpeg(_scene((side, side)), quality=92),
        f"largest progressive JPEG {side} x {side}": lambda: _jpeg(_scene((side, side)), quality=92,
                                                                   progressive=True),
        f"largest CMYK JPEG {side} x {side}": lambda: _jpeg(_scene((side, side)).convert("CMYK"), quality=75),
        f"largest progressive 4:4:4 JPEG {side} x {side}": lambda: _jpeg(_scene((side, side)), quality=95,
                                                                         progressive=True, subsampling=0),
        # Hostile or damaged files.
        "truncated JPEG (half of the phone photo)": lambda: _jpeg(_scene((4000, 3000)), quality=92)[:400_000],
        "not an image": lambda: b"%PDF-1.7\n" + b"x" * 1_000_000,
    }


def measure_in_child() -> None:
    """Child process: read one upload from stdin, prepare it, print the cost as JSON."""
    from app.letters.photo import PhotoError, prepare_photo
    data = sys.stdin.buffer.read()
    prepare_photo(_png(__import__("PIL.Image", fromlist=["Image"]).new("RGB", (64, 64))))  # load the codecs
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")  # reset the peak RSS (VmHWM) to the current RSS
    before_kb = _status_kb("VmRSS")
    started = time.process_time()
    try:
        photo = prepare_photo(data)
        outcome = f"accepted ({photo.width} x {photo.height})"
    except PhotoError as error:
        outcome = "refused: " + " ".join(error.message._args[0].split()[:5]) + " ..."
    cpu = time.process_time() - started
    peak_kb = _status_kb("VmHWM")
    print(json.dumps({"outcome": outcome, "cpu_s": round(cpu, 3), "growth_mb": round((peak_kb - before_kb) / 1024, 1)}))


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field + ":"))


SMOKE_CASES = ("tall: 2 x 10,000 grey PNG (accepted)", "not an image")


def main(argv=None) -> int:
    if "--child" in (argv or sys.argv):
        measure_in_child()
        return 0
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="two small photos: does it still work?")
    args = parser.parse_args(argv)
    results, problems = {}, []
    for name, make in cases().items():
        if args.smoke and name not in SMOKE_CASES:
            continue
        data = make()
        child = subprocess.run([sys.executable, "-m", "bench.photo_cost", "--child"], input=data, cwd=ROOT,
                               capture_output=True, check=True)
        result = json.loads(child.stdout)
        result["upload_kb"] = round(len(data) / 1024)
        results[name] = result
        print(f"{name:50} {result['upload_kb']:>7} KB  {result['cpu_s']:6.3f} s  {result['growth_mb']:7.1f} MB  "
              f"{result['outcome']}", file=sys.stderr)
        if result["growth_mb"] > MAX_GROWTH_MB:
            problems.append(f"{name}: the worker grew by {result['growth_mb']} MB (target {MAX_GROWTH_MB} MB)")
        if result["cpu_s"] > MAX_CPU_S:
            problems.append(f"{name}: {result['cpu_s']} s of CPU (target {MAX_CPU_S} s)")
    print(json.dumps({"machine": describe(), "photos": results}, indent=2))
    return exit_status(problems)


if __name__ == "__main__":
    sys.exit(main())
