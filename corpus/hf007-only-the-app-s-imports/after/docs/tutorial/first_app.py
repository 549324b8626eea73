import mkdocs_gen_files
from fastapi import FastAPI

app = FastAPI()
