from app.models import User
from app.security import hash_password

USERS = [{"username": "alice", "password": "$2b$12$C6UzMDM.H6dfI/f/IKcEeO5Fh1z8xn1tXxg5QxL0AQq2p0n1Jk1Gu"}]
DEMO = User(name="demo", password="temp-pass-123")
DEMO_HASH = hash_password("demo-pass-456")
