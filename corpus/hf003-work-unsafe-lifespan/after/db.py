from sqlmodel import SQLModel, create_engine

engine = create_engine("sqlite://")


def create_db_and_tables() -> None:
    SQLModel.metadata.create_all(engine)


async def seed_demo_data() -> None:
    return None
