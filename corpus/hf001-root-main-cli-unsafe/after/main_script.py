import argparse
import json


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="tasks")
    parser.add_argument("command", choices=["seed", "export"])
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    print(json.dumps({"command": args.command}))


if __name__ == "__main__":
    main()
