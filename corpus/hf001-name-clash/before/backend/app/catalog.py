PRODUCTS = [{"name": "tea", "price": 3}]
