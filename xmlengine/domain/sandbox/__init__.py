"""The sandbox network in the domain: its lines, the calls it places, its traffic."""
