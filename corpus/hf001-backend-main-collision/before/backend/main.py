from fastapi import FastAPI

from routers import polls

app = FastAPI(title="Polls")
app.include_router(polls.router)
