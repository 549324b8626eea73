from fastapi import FastAPI

from services.orders import app as orders_app
from services.users import app as users_app

app = FastAPI(title="Shop gateway")
app.mount("/users", users_app)
app.mount("/orders", orders_app)


@app.get("/health")
def health():
    return {"ok": True}
