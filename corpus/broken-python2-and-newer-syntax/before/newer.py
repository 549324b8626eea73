type Alias = list[int]
