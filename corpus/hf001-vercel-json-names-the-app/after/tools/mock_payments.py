"""A fake payment provider for local tests: `uvicorn tools.mock_payments:mock`."""

from fastapi import FastAPI

mock = FastAPI(title="Mock payments")


@mock.post("/charge")
def charge() -> dict[str, str]:
    return {"status": "ok"}
