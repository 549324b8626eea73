from fastapi import FastAPI

from core import settings

app = FastAPI()
