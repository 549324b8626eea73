from fastapi import FastAPI

# API für Café-Bestellungen
app = FastAPI()
