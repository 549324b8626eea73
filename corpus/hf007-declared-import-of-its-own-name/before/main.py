import acme_vectors
from fastapi import FastAPI

app = FastAPI()
store = acme_vectors.Store()


@app.get("/count")
def count() -> dict[str, int]:
    return {"vectors": store.size()}
