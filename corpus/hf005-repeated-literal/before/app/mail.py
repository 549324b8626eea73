from itsdangerous import URLSafeTimedSerializer

serializer = URLSafeTimedSerializer("s1gn1ng-K3y-FAKE-2024!")
