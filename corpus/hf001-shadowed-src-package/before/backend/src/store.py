RECIPES = ["lentil soup", "flatbread"]
