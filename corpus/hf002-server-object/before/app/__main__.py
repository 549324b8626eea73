"""python -m app"""
from uvicorn import Config, Server

from app.api import app

server = Server(Config(app, port=8000))
server.run()
