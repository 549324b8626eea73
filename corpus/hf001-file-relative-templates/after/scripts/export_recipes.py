import json

from web.app.data import RECIPES

if __name__ == "__main__":
    print(json.dumps(RECIPES))
