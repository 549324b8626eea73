import os
import tomllib  # settings file

from fastapi import FastAPI

with open(os.environ.get("CONFIG", "config.toml"), "rb") as fh:
    CONFIG = tomllib.load(fh)

app = FastAPI(title=CONFIG.get("title", "api"))
