from fastapi import FastAPI

app = FastAPI()
ADMIN_TOKEN = "adm1n-t0k"
BUILD_STAMP = "9fQ2xL7kP0vR4mZ8tY1wB6nC3hJ5sD7a"
