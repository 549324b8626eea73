import uvicorn
from fastapi import FastAPI

# API für Café-Bestellungen
app = FastAPI()


if __name__ == "__main__":
    uvicorn.run(app, port=8000)
