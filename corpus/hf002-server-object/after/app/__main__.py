"""python -m app"""

from app.api import app
