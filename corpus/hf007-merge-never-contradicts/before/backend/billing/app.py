import httpx
import stripe
from fastapi import FastAPI

app = FastAPI()


@app.get("/invoices")
def invoices() -> dict[str, str]:
    return {"client": type(httpx.Client).__name__, "stripe": stripe.api_base}
