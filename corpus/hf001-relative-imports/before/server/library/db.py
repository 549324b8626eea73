BOOKS = [{"id": 1, "title": "Dune"}]
