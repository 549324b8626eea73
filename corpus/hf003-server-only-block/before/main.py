import os

from fastapi import FastAPI

app = FastAPI(title="Notes")


@app.get("/")
def root() -> dict[str, str]:
    # Health check used by the frontend.
    return {"status": "ok"}


# ---------------------------------------------------------------------------

# Entry point for local runs
if __name__ == "__main__":
    import uvicorn

    port = int(os.environ.get("PORT", 8000))
    host = "0.0.0.0"
    print(f"Starting server on {host}:{port}")
    uvicorn.run("main:app", host=host, port=port, reload=True)
