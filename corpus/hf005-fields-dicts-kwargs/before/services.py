from dataclasses import dataclass, field

import redis
from flask import Flask
from pydantic import BaseModel


@dataclass
class SmtpConfig:
    host: str = "smtp.fake-mail.io"
    password: str = field(default="smtp-Pa55-FAKE")


class GithubSettings(BaseModel):
    token: str = "ghp_FAKEMp4t3skn2H7sCB2jZ5uK8pRA2pocvvDv"


REDIS_OPTIONS = {"host": "cache.fake-host.io", "password": "r3dis-Pa55-FAKE", "db": 0}
cache = redis.Redis(host="cache.fake-host.io", password="r3dis-Pa55-FAKE")


def slack_client(token="xoxb-0000000000-FAKEv9UF8kF6JMvBiTCMbkAh"):
    return token


def is_admin(password: str) -> bool:
    return password == "adm1n-Pa55-FAKE"


legacy = Flask(__name__)
legacy.config["SECRET_KEY"] = "fl4sk-S3cret-FAKE"
