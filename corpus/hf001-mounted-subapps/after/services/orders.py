from fastapi import FastAPI

app = FastAPI(title="Orders")


@app.get("/")
def list_orders():
    return []


@app.post("/")
def place_order(order: dict):
    return order
