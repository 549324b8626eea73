RECIPES = [{"name": "Pancakes"}]
