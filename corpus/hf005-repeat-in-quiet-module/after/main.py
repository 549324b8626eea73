from fastapi import FastAPI

from client import make_client
import os

SECRET_KEY = os.environ.get("SECRET_KEY")
app = FastAPI()
