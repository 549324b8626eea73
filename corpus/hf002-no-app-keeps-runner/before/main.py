"""Command-line tools for the notes service."""

import argparse


def main() -> None:
    parser = argparse.ArgumentParser(prog="notes")
    parser.add_argument("command", choices=["export", "import"])
    args = parser.parse_args()
    print(f"running {args.command}")


if __name__ == "__main__":
    main()
