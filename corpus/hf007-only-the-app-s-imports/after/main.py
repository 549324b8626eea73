from fastapi import FastAPI

from weather.routes import router

app = FastAPI()
app.include_router(router)
