import uvicorn

from db import init_db

if __name__ == "__main__":
    init_db()
    uvicorn.run("main:app", host="0.0.0.0", port=8080, workers=2)
