import os

from fastapi import FastAPI

from backend.jobs import warm_cache
from contextlib import asynccontextmanager

api = FastAPI()


@api.get("/ping")
def ping():
	return "pong"


# hffix: moved from `if __name__ == "__main__":`, runs when the app starts.
_hffix_startup_after = api.router.lifespan_context


@asynccontextmanager
async def _hffix_lifespan(asgi_app):
	warm_cache()
	async with _hffix_startup_after(asgi_app) as state:
		yield state


api.router.lifespan_context = _hffix_lifespan
