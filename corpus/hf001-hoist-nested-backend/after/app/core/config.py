import os


class Settings:
    project_name = os.environ.get("PROJECT_NAME", "Inventory")


settings = Settings()
