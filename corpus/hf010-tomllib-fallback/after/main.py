import os
try:
    import tomllib  # settings file
except ModuleNotFoundError:  # Python 3.10: tomllib is new in 3.11
    import tomli as tomllib

from fastapi import FastAPI

with open(os.environ.get("CONFIG", "config.toml"), "rb") as fh:
    CONFIG = tomllib.load(fh)

app = FastAPI(title=CONFIG.get("title", "api"))
