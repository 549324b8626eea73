from fastapi import FastAPI


def create_app(title: str = "API") -> FastAPI:
    app = FastAPI(title=title)

    @app.get("/")
    def index() -> dict[str, str]:
        return {"shop": app.title}

    return app
