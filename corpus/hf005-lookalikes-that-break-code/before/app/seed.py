from app import models
from app.models import User

USERS = [User(name=n, password="temp") for n in ("ana", "bo")]
ADMIN = models.User(name="admin", password="admin-Pa55-1")
