"""Domain services per family: no HTTP, no XML."""
