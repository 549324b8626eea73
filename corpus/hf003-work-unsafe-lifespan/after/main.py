import asyncio
import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI

from db import create_db_and_tables, seed_demo_data

log = logging.getLogger("api")


@asynccontextmanager
async def lifespan(app: FastAPI):
    log.info("ready")
    yield
    log.info("bye")


app = FastAPI(lifespan=lifespan)


@app.get("/")
def root() -> dict[str, str]:
    return {"status": "ok"}


# hffix: moved from `if __name__ == "__main__":`, runs when the app starts.
_hffix_startup_after = app.router.lifespan_context


@asynccontextmanager
async def _hffix_lifespan(asgi_app):
    logging.basicConfig(level=logging.INFO)
    create_db_and_tables()
    # Demo rows for local runs.
    await seed_demo_data()
    async with _hffix_startup_after(asgi_app) as state:
        yield state


app.router.lifespan_context = _hffix_lifespan
