from fastapi import FastAPI

from shop.settings import Settings


def create_app(settings: Settings, title: str = "API") -> FastAPI:
    app = FastAPI(title=title)

    @app.get("/")
    def index() -> dict[str, str]:
        return {"shop": app.title, "currency": settings.currency}

    return app
