import os

from sqlalchemy import create_engine
from sqlalchemy.ext.asyncio import create_async_engine

engine = create_engine(os.environ.get("DATABASE_URL", "postgresql://ledger@localhost/ledger"))
async_engine = create_async_engine("postgresql+asyncpg://ledger@localhost/ledger")
