import sqlite3

DB_PW = "Tr0ub4dor3x"


def connect() -> sqlite3.Connection:
    return sqlite3.connect("app.db")
