from api import app

__all__ = ["app"]
