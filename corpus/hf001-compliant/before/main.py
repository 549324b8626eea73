from fastapi import FastAPI

from api.routes import router

app = FastAPI(title="Compliant")
app.include_router(router)
