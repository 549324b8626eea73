import asyncio
import logging

from fastapi import FastAPI

logger = logging.getLogger(__name__)
app = FastAPI()


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


async def serve_forever() -> None:
    logger.info("serving")


def start() -> None:
    asyncio.run(serve_forever())
