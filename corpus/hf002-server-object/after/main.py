from app.api import app

__all__ = ["app"]
