import os

from fastapi import FastAPI

app = FastAPI()
SENTRY_DSN = os.getenv("SENTRY_DSN")
SECRET_KEY = "k3y-for-signing-FAKE!"
client_options = {"api_key": "gsk_FAKEH5MeDRmitmDXJTHBLv47aF1PvrCNg0jzs8jaDkjQWL3Ecs0H"}
