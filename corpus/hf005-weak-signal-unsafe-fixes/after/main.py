from fastapi import FastAPI
import os

app = FastAPI()
ADMIN_TOKEN = os.environ.get("ADMIN_TOKEN")
BUILD_STAMP = os.environ.get("BUILD_STAMP")
