import asyncio
import logging
from contextlib import asynccontextmanager

import uvicorn
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


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    create_db_and_tables()
    # Demo rows for local runs.
    asyncio.run(seed_demo_data())
    uvicorn.run(app, host="0.0.0.0", port=8000)
