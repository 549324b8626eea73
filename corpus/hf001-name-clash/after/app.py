"""The old command-line demo of the shop."""

PRODUCTS = ["tea", "coffee"]

if __name__ == "__main__":
    for product in PRODUCTS:
        print(product)
