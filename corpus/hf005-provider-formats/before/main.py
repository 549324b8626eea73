from fastapi import FastAPI

from integrations import router

app = FastAPI()
app.include_router(router)
