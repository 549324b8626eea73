from fastapi import FastAPI

from services.billing import charge

app = FastAPI()


@app.post("/charge")
def pay(amount: int) -> dict[str, str]:
    return {"id": charge(amount)}
