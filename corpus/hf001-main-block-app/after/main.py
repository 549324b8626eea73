from fastapi import FastAPI

from routes import router


def configure_logging():
    print("logging ready")


# hffix: moved out of `if __name__ == "__main__":` so the Space can import the app.
app = FastAPI(title="Quotes")
app.include_router(router)

if __name__ == "__main__":
    configure_logging()
