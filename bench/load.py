"""Load generation against a running server: N client threads completing the wizard and downloading letters."""
from __future__ import annotations

import io
import random
import threading
import time
from dataclasses import dataclass, field

from .wizard_client import WizardClient

PERSON = {"full_name": "Load Test Person", "email": "load@example.org", "street": "Teststraat 1",
          "postcode": "1011 AA", "city": "Amsterdam", "country": "NL",
          "profile_urls": "https://example.org/profile"}
REASON = "I am a journalist and being found by face puts my sources at risk."


def typical_photo() -> bytes:
    """A phone-sized JPEG (3000 x 4000 pixels) with real detail, a few MB."""
    from PIL import Image, ImageFilter
    image = Image.effect_noise((750, 1000), 40).convert("RGB").resize((3000, 4000))
    image = image.filter(ImageFilter.GaussianBlur(2))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def pdf_is_valid(body: bytes) -> bool:
    from pypdf import PdfReader
    if not (body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF")):
        return False
    try:
        return len(PdfReader(io.BytesIO(body)).pages) >= 1
    except Exception:
        return False


@dataclass
class LoadResult:
    seconds: float = 0.0
    letters: int = 0
    requests: int = 0
    failures: list[str] = field(default_factory=list)
    letter_latencies: list[float] = field(default_factory=list)  # POST /download answered 200
    invalid_pdfs: int = 0

    def merge(self, other: "LoadResult") -> None:
        self.letters += other.letters
        self.requests += other.requests
        self.failures += other.failures
        self.letter_latencies += other.letter_latencies
        self.invalid_pdfs += other.invalid_pdfs

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.letter_latencies)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")

    def summary(self) -> dict:
        return {"seconds": round(self.seconds, 1), "letters": self.letters, "requests": self.requests,
                "failed_requests": len(self.failures), "invalid_pdfs": self.invalid_pdfs,
                "letters_per_second": round(self.letters / self.seconds, 2) if self.seconds else 0,
                "letter_p50_ms": round(1000 * self.percentile(0.50), 1),
                "letter_p95_ms": round(1000 * self.percentile(0.95), 1)}


def new_visitor(port: int, rng: random.Random, mode: str, photo: bytes | None) -> tuple[WizardClient, object]:
    """A visitor who has answered every page and downloaded one letter: (client, that reply)."""
    client = WizardClient("127.0.0.1", port)
    request_type = "access" if mode == "letters" else rng.choice(["access", "erasure", "both"])
    reply = client.complete_wizard(PERSON, request_type=request_type,
                                   reason=REASON if mode == "wizard" and rng.random() < 0.5 else "",
                                   photo=photo if photo and rng.random() < 0.2 else None)
    return client, reply


def client_loop(port: int, stop_at: float, result: LoadResult, mode: str, photo: bytes | None,
                validate: bool, seed: int, visitor: WizardClient | None = None) -> None:
    """mode "wizard": a new visitor each round, every page, a random letter;
    "letters": one visitor (access letter) posting the download form again and again."""
    rng = random.Random(seed)
    client = visitor
    token = client.token("/download") if client else None
    while time.monotonic() < stop_at:
        try:
            if mode == "wizard" or client is None:
                client, reply = new_visitor(port, rng, mode, photo)
                result.requests += len(client.replies)
                # Only a returning visitor needs the download form's token.
                token = client.token("/download") if mode == "letters" else None
            else:
                reply = client.download(token=token)
                result.requests += 1
        except Exception as error:  # refused, reset, or a page that did not answer as expected
            result.failures.append(f"{type(error).__name__}: {error}")
            client = None
            continue
        if reply.status != 200:
            result.failures.append(f"download answered {reply.status}")
            continue
        result.letters += 1
        result.letter_latencies.append(reply.seconds)
        if validate and not pdf_is_valid(reply.body):
            result.invalid_pdfs += 1


def run_load(port: int, clients: int, seconds: float, mode: str = "wizard", photo: bytes | None = None,
             validate: bool = True) -> LoadResult:
    """Run CLIENTS threads for SECONDS. In "letters" mode the visitors answer the wizard before the clock starts."""
    results = [LoadResult() for _ in range(clients)]
    visitors = [new_visitor(port, random.Random(n), mode, photo)[0] if mode == "letters" else None
                for n in range(clients)]
    stop_at = time.monotonic() + seconds
    threads = [threading.Thread(target=client_loop,
                                args=(port, stop_at, results[n], mode, photo, validate, n, visitors[n]))
               for n in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    total = LoadResult(seconds=time.monotonic() - started)
    for result in results:
        total.merge(result)
    return total
