from fastapi import FastAPI
from sqlmodel import SQLModel, create_engine

from app.models import Hero

engine = create_engine("sqlite:///heroes.db")
app = FastAPI()


@app.on_event("startup")
def create_tables() -> None:
    SQLModel.metadata.create_all(engine)


@app.get("/heroes")
def heroes() -> list[Hero]:
    return []
