import uvicorn
from fastapi import FastAPI

from routes import router


def configure_logging():
    print("logging ready")


if __name__ == "__main__":
    configure_logging()
    app = FastAPI(title="Quotes")
    app.include_router(router)
    uvicorn.run(app, host="0.0.0.0", port=8000)
