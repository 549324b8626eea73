from fastapi import FastAPI

from bookshelf.db import SHELF

app = FastAPI(title="Bookshelf")


@app.get("/books/{book_id}")
def get_book(book_id: str):
    return {"id": book_id, "title": SHELF.get(book_id)}
