from fastapi import FastAPI

import clients

app = FastAPI()
