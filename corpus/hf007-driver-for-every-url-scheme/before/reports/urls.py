import os

REPORTS = os.getenv("REPORTS_URL", "mysql://reports@db/reports")
LEGACY = "mysql+pymysql://legacy@db/legacy"
ORDERS = "mysql+aiomysql://orders@db/orders"
ANALYTICS = "postgresql+psycopg://analytics@db/analytics"
EVENTS = "postgresql+asyncpg://events@db/events"
WAREHOUSE = "mssql+pyodbc://warehouse@warehouse-dsn"
