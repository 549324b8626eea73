from fastapi import FastAPI

from api.store import ITEMS

app = FastAPI(title="Inventory")


@app.get("/")
def index() -> dict[str, int]:
    return {"items": len(ITEMS)}


@app.get("/items")
def items() -> list[str]:
    return ITEMS
