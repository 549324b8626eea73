import csv
import sys


def main(path):
    with open(path) as handle:
        return sum(1 for _ in csv.reader(handle))


if __name__ == "__main__":
    print(main(sys.argv[1]))
