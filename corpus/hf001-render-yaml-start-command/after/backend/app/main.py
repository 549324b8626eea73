from fastapi import FastAPI

from app.bookings import router

app = FastAPI(title="Bookings")
app.include_router(router)


@app.get("/")
def index() -> dict[str, str]:
    return {"service": "bookings"}
