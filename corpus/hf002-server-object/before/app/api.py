import asyncio
import logging

import uvicorn
from fastapi import FastAPI

logger = logging.getLogger(__name__)
app = FastAPI()


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


async def serve_forever() -> None:
    config = uvicorn.Config(app, host="0.0.0.0", port=7860, log_level="info")
    server = uvicorn.Server(config)
    logger.info("serving")
    await server.serve()


def start() -> None:
    asyncio.run(serve_forever())
