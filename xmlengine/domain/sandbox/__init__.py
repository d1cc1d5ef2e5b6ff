"""The sandbox network in the domain: its lines and the calls it places."""
