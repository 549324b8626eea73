from fastapi import FastAPI

app = FastAPI(title="Search")


@app.get("/search")
def search(q: str):
    return {"q": q}
