from fastapi import FastAPI

import auth

app = FastAPI(title=auth.Settings().app_title)
