"""What the wizard announces, for whoever listens (today: the campaign counts in app/metrics.py).

Every signal is sent with the Flask app as sender.
"""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# A letter was rendered and is being sent to the visitor: letter=Letter, render_seconds=float.
letter_made = _signals.signal("letter-made")
# A submitted form was refused: form=the refused form (its errors say which fields).
form_refused = _signals.signal("form-refused")
