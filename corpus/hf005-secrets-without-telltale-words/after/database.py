import sqlite3
import os

DB_PW = os.environ.get("DB_PW")


def connect() -> sqlite3.Connection:
    return sqlite3.connect("app.db")
