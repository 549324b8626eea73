import argparse
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description="count the recipes in a folder")
    parser.add_argument("folder", type=Path)
    folder = parser.parse_args().folder
    print(len(list(folder.glob("*.md"))), "recipes")


if __name__ == "__main__":
    main()
