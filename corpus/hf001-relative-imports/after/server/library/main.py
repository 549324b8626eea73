from fastapi import FastAPI

from .db import BOOKS
from .routers import books

app = FastAPI(title="Library")
app.include_router(books.router)


@app.get("/stats")
def stats():
    return {"books": len(BOOKS)}
