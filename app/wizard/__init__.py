from flask import Blueprint

bp = Blueprint("wizard", __name__)

from . import views, download  # noqa: E402,F401  (register the routes)
