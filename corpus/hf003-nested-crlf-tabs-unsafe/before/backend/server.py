import os

import uvicorn
from fastapi import FastAPI

from backend.jobs import warm_cache

api = FastAPI()


@api.get("/ping")
def ping():
	return "pong"


if __name__ == "__main__":
	warm_cache()
	if os.getenv("DEV"):
		uvicorn.run("backend.server:api", reload=True)
	else:
		try:
			uvicorn.run(api, host="0.0.0.0", port=int(os.getenv("PORT", "8000")))
		except KeyboardInterrupt:
			pass
