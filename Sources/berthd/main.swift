print("berthd: not implemented yet")
