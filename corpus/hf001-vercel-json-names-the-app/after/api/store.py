ITEMS = ["bolt", "nut"]
