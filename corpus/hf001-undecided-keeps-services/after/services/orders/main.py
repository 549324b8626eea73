import uvicorn
from fastapi import FastAPI

from services.orders.store import list_orders

app = FastAPI(title="orders")


@app.get("/orders")
def orders() -> list[dict[str, int]]:
    return list_orders()


if __name__ == "__main__":
    uvicorn.run(app, host="0.0.0.0", port=8001)
