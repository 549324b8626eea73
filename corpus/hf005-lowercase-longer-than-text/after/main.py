"""Şehir listesi: İSTANBUL, İZMİR, İNEGÖL, İSKENDERUN, İSPARTA, DİYARBAKIR, BİTLİS,
KİLİS, SİİRT, BİLECİK, İĞDIR, KIRIKKALE, ÇANKIRI, SİNOP, SİVAS, GİRESUN, RİZE."""
from fastapi import FastAPI
import os

API_KEY = os.environ.get("API_KEY")

app = FastAPI()


@app.get("/")
def root() -> dict[str, str]:
    return {"ok": "yes" if API_KEY else "no"}
