import argparse

import uvicorn

from shop.factory import create_app

if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--title", default="Shop")
    args = parser.parse_args()
    uvicorn.run(create_app(title=args.title), host="0.0.0.0")
