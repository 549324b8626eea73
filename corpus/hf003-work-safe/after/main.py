import logging

from fastapi import FastAPI
from sqlmodel import SQLModel, create_engine

engine = create_engine("sqlite:///./app.db")
app = FastAPI()


def create_db_and_tables() -> None:
    SQLModel.metadata.create_all(engine)


@app.get("/items")
def items() -> list[str]:
    return []


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    create_db_and_tables()
