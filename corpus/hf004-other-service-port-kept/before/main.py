from fastapi import FastAPI

import mailer

app = FastAPI()


@app.post("/notify")
def notify(to: str) -> dict[str, bool]:
    mailer.send(to, "hello")
    return {"sent": True}
