import os

from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

DATABASE_URL = os.getenv("DATABASE_URL", "postgresql+asyncpg://localhost/app")
engine = create_async_engine(DATABASE_URL)
sessions = async_sessionmaker(engine, class_=AsyncSession)


async def get_session():
    async with sessions() as session:
        yield session
