from fastapi import FastAPI

app = FastAPI(title="shop")


@app.get("/items")
def items() -> list[str]:
    return ["tea"]
