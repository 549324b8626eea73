import os

TEST_DB = os.environ["TEST_DATABASE_URL"]
