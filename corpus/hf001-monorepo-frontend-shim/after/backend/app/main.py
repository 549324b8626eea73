from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from app.routers import notes

app = FastAPI(title="Notes API")
app.add_middleware(CORSMiddleware, allow_origins=["*"])
app.include_router(notes.router)
