import redis
from celery import Celery
from motor.motor_asyncio import AsyncIOMotorClient
from sqlalchemy import create_engine
import os

engine = create_engine(os.environ.get("DATABASE_URL"), pool_pre_ping=True)
ANALYTICS_DB_URL = os.environ.get("ANALYTICS_DB_URL")
mongo = AsyncIOMotorClient(os.environ.get("MONGODB_URI"))
cache = redis.from_url(os.environ.get("REDIS_URL"))
celery = Celery("tasks", broker=os.environ.get("AMQP_URL"))
TEST_DATABASE_URL = "sqlite:///./test.db"
LOCAL_REDIS_URL = "redis://:redis@localhost:6379/0"
LOCAL_BROKER = "amqp://guest:guest@rabbitmq:5672//"
