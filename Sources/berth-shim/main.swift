print("berth-shim: not implemented yet")
