import requests
from fastapi import FastAPI

app = FastAPI()


@app.get("/weather")
def weather() -> dict[str, object]:
    return requests.get("https://api.example.org/weather", timeout=5).json()
