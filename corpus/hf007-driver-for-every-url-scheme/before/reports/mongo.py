import os

from motor.motor_asyncio import AsyncIOMotorClient

NAME = "archive"
client = AsyncIOMotorClient(os.getenv("MONGO_URL", "mongodb+srv://cluster0.example.mongodb.net/archive"))
