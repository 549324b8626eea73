from fastapi import FastAPI

app = FastAPI(title="Clinic admin")


@app.post("/reindex")
def reindex():
    return {"ok": True}
