from fastapi import FastAPI

from billing.models import Invoice

app = FastAPI()


@app.get("/invoices/{invoice_id}")
def invoice(invoice_id: int) -> Invoice:
    return Invoice(id=invoice_id, total=0.0)
