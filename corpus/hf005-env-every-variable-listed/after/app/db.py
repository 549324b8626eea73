import os

DB_URL = os.environ["DB_URL"]
DB_PORT = int(os.getenv("DB_PORT", "5432"))
REPLICA_URL = os.environ.get("REPLICA_DATABASE_URL")


def engine_url() -> str:
    return REPLICA_URL or DB_URL
