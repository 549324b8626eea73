import uvicorn

from main import app

uvicorn.run(app)
