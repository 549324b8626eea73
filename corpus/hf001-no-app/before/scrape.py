import sys
import urllib.request


def fetch(url):
    with urllib.request.urlopen(url) as response:
        return response.read()


if __name__ == "__main__":
    print(len(fetch(sys.argv[1])))
