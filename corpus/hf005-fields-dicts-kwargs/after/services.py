from dataclasses import dataclass, field

import redis
from flask import Flask
from pydantic import BaseModel
import os


@dataclass
class SmtpConfig:
    host: str = "smtp.fake-mail.io"
    password: str = field(default=os.environ.get("SMTP_PASSWORD"))


class GithubSettings(BaseModel):
    token: str = os.environ.get("GITHUB_TOKEN")


REDIS_OPTIONS = {"host": "cache.fake-host.io", "password": os.environ.get("REDIS_PASSWORD"), "db": 0}
cache = redis.Redis(host="cache.fake-host.io", password=os.environ.get("REDIS_PASSWORD"))


def slack_client(token=os.environ.get("SLACK_BOT_TOKEN")):
    return token


def is_admin(password: str) -> bool:
    return password == "adm1n-Pa55-FAKE"


legacy = Flask(__name__)
legacy.config["SECRET_KEY"] = os.environ.get("SECRET_KEY")
