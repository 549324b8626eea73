"""Helpers to start the server."""
import uvicorn
from uvicorn import Config

__all__ = ["Config", "serve"]


def serve(app: "uvicorn.Server") -> None:
    pass
