from backend.server import api as app
