from itsdangerous import URLSafeSerializer
import os

serializer = URLSafeSerializer(os.environ.get("SECRET_KEY"))
