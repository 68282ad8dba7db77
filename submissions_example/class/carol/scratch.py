x = 1  # scratch work
