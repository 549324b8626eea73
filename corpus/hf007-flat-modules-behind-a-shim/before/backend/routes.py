from fastapi import APIRouter
import db
router = APIRouter()
