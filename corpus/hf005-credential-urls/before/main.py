from fastapi import FastAPI

import db

app = FastAPI()
