from __future__ import annotations

from typing import TYPE_CHECKING

import yaml
from fastapi import FastAPI, Form

from api.routes import router

if TYPE_CHECKING:
    from redis import Redis

try:
    import orjson as json_lib
except ModuleNotFoundError:
    import json as json_lib

app = FastAPI()
app.include_router(router)


@app.post("/echo")
def echo(text: str = Form(...)) -> str:
    return json_lib.dumps(yaml.safe_load(text))
