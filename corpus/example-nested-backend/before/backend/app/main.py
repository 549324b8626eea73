import uvicorn
from fastapi import FastAPI

from app.db import create_db_and_tables
from app.routers.notes import router

app = FastAPI(title="Notes API")
app.include_router(router)


@app.get("/")
def root() -> dict[str, str]:
    return {"status": "ok"}


if __name__ == "__main__":
    create_db_and_tables()
    uvicorn.run(app, host="0.0.0.0", port=8000)
