nombre = 'José'
