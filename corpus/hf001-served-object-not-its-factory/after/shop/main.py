from shop import create_app
from shop.api.routes import router

app = create_app()
app.include_router(router)


@app.get("/")
def root() -> dict[str, bool]:
    return {"ok": True}
