from fastapi import FastAPI

from app import config, seed

app = FastAPI()
config.check()


@app.get("/users")
def users() -> list[str]:
    return [u["username"] for u in seed.USERS] + [seed.DEMO.name]
