from fastapi import FastAPI

app = FastAPI(title="phase 1")
