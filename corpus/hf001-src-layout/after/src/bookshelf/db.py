SHELF = {"1": "Dune"}
