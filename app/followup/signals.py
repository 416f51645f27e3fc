"""What the follow-up journey announces, for whoever listens (today: the campaign counts in app/metrics.py).

Sent with the Flask app as sender, like the wizard's signals (app/wizard/signals.py).
"""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# A follow-up letter or a complaint was rendered and is being sent to the visitor: letter=Letter.
follow_up_made = _signals.signal("follow-up-made")
