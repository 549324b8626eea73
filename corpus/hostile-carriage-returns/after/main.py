from fastapi import FastAPI

# A lone carriage return inside a string: one line to git, kept byte for byte.
SEPARATOR = """"""

app = FastAPI()


@app.get("/")
def root() -> dict[str, str]:
    return {"status": "ok", "separator": SEPARATOR}
