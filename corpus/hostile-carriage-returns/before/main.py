from fastapi import FastAPI
import uvicorn

# A lone carriage return inside a string: one line to git, kept byte for byte.
SEPARATOR = """"""

app = FastAPI()


@app.get("/")
def root() -> dict[str, str]:
    return {"status": "ok", "separator": SEPARATOR}


if __name__ == "__main__":
    uvicorn.run(app, host="0.0.0.0", port=8000)
