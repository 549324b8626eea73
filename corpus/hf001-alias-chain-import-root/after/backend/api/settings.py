ADMIN = "ada"
