from fastapi import FastAPI

app = FastAPI(title="Users")


@app.get("/{user_id}")
def get_user(user_id: int):
    return {"id": user_id}
