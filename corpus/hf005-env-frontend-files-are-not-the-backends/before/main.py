import os

from fastapi import FastAPI

app = FastAPI(debug=os.getenv("DEBUG", "0") == "1")
