from fastapi import FastAPI

from reports import db, mongo

app = FastAPI()


@app.get("/sources")
def sources() -> list[str]:
    return sorted(db.ENGINES) + [mongo.NAME]
