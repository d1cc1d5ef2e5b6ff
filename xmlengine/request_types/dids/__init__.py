"""DIDs: the account's numbers and their settings, and the inventory of new numbers.

Declaring the request types is importing the modules that hold them.
"""

from xmlengine.request_types.dids import inventory, new_numbers, numbers, settings
from xmlengine.request_types.dids.family import family

__all__ = ["family", "inventory", "new_numbers", "numbers", "settings"]
