from fastapi import FastAPI

import services

app = FastAPI()
