from itsdangerous import URLSafeSerializer

serializer = URLSafeSerializer("hunter2hunter2")
