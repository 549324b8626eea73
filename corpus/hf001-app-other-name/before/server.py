from fastapi import FastAPI

from routers import users

api = FastAPI(title="Users")
api.include_router(users.router, prefix="/users")


@api.get("/")
def index():
    return {"service": "users"}
