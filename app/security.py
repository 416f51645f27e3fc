"""Response headers for every response, set in one place."""
from __future__ import annotations

from flask import current_app, request


def content_security_policy() -> str:
    return "; ".join([
        "default-src 'none'",
        "style-src 'self'",
        "img-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        f"frame-ancestors {current_app.config['FRAME_ANCESTORS']}",
    ])


def set_security_headers(response):
    headers = response.headers
    headers["Content-Security-Policy"] = content_security_policy()
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "no-referrer"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Cross-Origin-Resource-Policy"] = "same-origin"
    headers["Cross-Origin-Embedder-Policy"] = "require-corp"
    headers["X-Permitted-Cross-Domain-Policies"] = "none"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()"
    if current_app.config["FRAME_ANCESTORS"] == "'none'":
        headers["X-Frame-Options"] = "DENY"
    # Answers and letters are personal: no browser or proxy may keep a copy.
    headers["Cache-Control"] = "no-store, max-age=0"
    headers["Pragma"] = "no-cache"
    if response.mimetype == "application/pdf":
        # A letter opened in the browser's viewer runs nothing and reaches nothing of this site.
        headers["Content-Security-Policy"] += "; sandbox"
    if request.is_secure:
        headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
    return response
