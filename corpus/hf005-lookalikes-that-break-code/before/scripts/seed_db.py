from app.accounts import create_user

create_user(username="admin", password="admin123")
