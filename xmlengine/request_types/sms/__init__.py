"""SMS and MMS: the message log, statistics, sending, and the SMS profiles of DIDs
(docs/sms.md).

Declaring the request types is importing the modules that hold them.
"""

from xmlengine.request_types.sms import messages, profiles
from xmlengine.request_types.sms.family import family

__all__ = ["family", "messages", "profiles"]
