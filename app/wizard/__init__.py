from flask import Blueprint

bp = Blueprint("wizard", __name__)

from . import views  # noqa: E402,F401  (registers the routes)
