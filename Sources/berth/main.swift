print("berth: not implemented yet")
