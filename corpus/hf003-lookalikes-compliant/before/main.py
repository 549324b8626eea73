from fastapi import FastAPI

app = FastAPI()

# Spaces serves `app`; never call uvicorn.run() here.
USAGE = """
Run locally with:

    if __name__ == "__main__":
        uvicorn.run(app)
"""


@app.get("/")
def root() -> dict[str, str]:
    return {"status": "ok", "usage": USAGE}
