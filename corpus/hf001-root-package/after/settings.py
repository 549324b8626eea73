PREFIX = "/users"
