from fastapi import FastAPI

from .routes import router

app = FastAPI(title="Recipes")
app.include_router(router)
