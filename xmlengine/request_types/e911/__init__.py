"""E911 provisioning of DIDs and peers, and whitepages (411) directory listings.

Declaring the request types is importing the modules that hold them.
"""

from xmlengine.request_types.e911 import endpoints, whitepages
from xmlengine.request_types.e911.family import family

__all__ = ["endpoints", "family", "whitepages"]
