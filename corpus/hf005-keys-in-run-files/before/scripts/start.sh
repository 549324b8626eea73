#!/bin/sh
set -e
# export HF_TOKEN=hf_your_token_here
export HF_TOKEN=hf_Lx4Tq9Wm2Zr7Vn1Kp6Hs3Jd8Gc0YfAbQe
export LOG_LEVEL=info
export DATABASE_URL="postgresql://app:Wq7Zr3Lm9Xv@db.internal.example.net/app"
exec uvicorn main:app --host 0.0.0.0
