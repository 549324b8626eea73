from fastapi import FastAPI

from api import routes


def create_app():
    application = FastAPI(title="Weather")
    application.include_router(routes.router)
    return application
