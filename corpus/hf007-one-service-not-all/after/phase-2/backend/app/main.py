import httpx
from fastapi import FastAPI

app = FastAPI(title="phase 2")
client = httpx.Client()
