import uvicorn

from api.routers import chat, users

app = chat.app
app.include_router(users.router, prefix="/users")

if __name__ == "__main__":
    uvicorn.run(app, host="0.0.0.0", port=8000)
