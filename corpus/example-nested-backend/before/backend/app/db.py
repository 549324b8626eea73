from sqlmodel import Field, SQLModel, create_engine

from app.config import DATABASE_URL

engine = create_engine(DATABASE_URL)


class Note(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    text: str


def create_db_and_tables() -> None:
    SQLModel.metadata.create_all(engine)
