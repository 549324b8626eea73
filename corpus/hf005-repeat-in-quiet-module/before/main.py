from fastapi import FastAPI

from client import make_client

SECRET_KEY = "q9Zx7Lm2Wp4Rt8"
app = FastAPI()
