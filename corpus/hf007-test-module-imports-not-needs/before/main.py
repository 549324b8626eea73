from app.main import app

__all__ = ["app"]
