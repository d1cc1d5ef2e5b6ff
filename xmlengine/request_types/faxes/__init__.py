"""Virtual fax: fax profiles, the faxes they receive and send, and sending a fax
(docs/faxes.md).

Declaring the request types is importing the modules that hold them.
"""

from xmlengine.request_types.faxes import history, profiles, queue
from xmlengine.request_types.faxes.family import family

__all__ = ["family", "history", "profiles", "queue"]
