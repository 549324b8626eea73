import redis
from celery import Celery
from motor.motor_asyncio import AsyncIOMotorClient
from sqlalchemy import create_engine

engine = create_engine("postgresql://neondb_owner:npg_FAKEGdv5fXSM@ep-fake-123456.us-east-2.aws.neon.tech/neondb?sslmode=require", pool_pre_ping=True)
ANALYTICS_DB_URL = "mysql+pymysql://analytics:FAKEmy5qlPw9@mysql.fake-host.io:3306/analytics"
mongo = AsyncIOMotorClient("mongodb+srv://atlas:FAKEm0ngoPass@cluster0.fake1.mongodb.net/app")
cache = redis.from_url("redis://default:FAKEr3disPa55@redis-12345.c1.us-east-1.ec2.cloud.redislabs.com:12345")
celery = Celery("tasks", broker="amqps://worker:FAKEamqpPa55@rabbit.fake-host.io/vhost")
TEST_DATABASE_URL = "sqlite:///./test.db"
LOCAL_REDIS_URL = "redis://:redis@localhost:6379/0"
LOCAL_BROKER = "amqp://guest:guest@rabbitmq:5672//"
