"""After the letter: continue a request from its PDF (or by hand), know its deadline, write the next
letter for what the company did, and complain to the supervisory authority. Nothing is stored: the
request travels in the encrypted state, like the wizard's answers."""
from flask import Blueprint

bp = Blueprint("followup", __name__)

from . import views  # noqa: E402,F401  (registers the routes)
from . import overview  # noqa: E402,F401
