"""HTTP: the ASGI app, the two URL generations, parameter merging."""
