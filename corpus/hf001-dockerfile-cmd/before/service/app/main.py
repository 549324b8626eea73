from fastapi import FastAPI

app = FastAPI(title="Clinic")


@app.get("/appointments")
def appointments():
    return []
