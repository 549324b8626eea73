import uvicorn as uv
from uvicorn import run
from uvicorn import run as serve


def dev() -> None:
    """Auto-reloading server."""
    uv.run("main:app", reload=True)


def prod() -> None:
    # Production settings
    workers = 4

    serve("main:app", workers=workers)


def plain() -> None:
    run("main:app")
