"""Call history and what calls leave behind: statistics, recordings, voicemails, storage,
and the issues reported on calls.

Declaring the request types is importing the modules that hold them.
"""

from xmlengine.request_types.calls import history, issues, recordings, storage, voicemails
from xmlengine.request_types.calls.family import family

__all__ = ["family", "history", "issues", "recordings", "storage", "voicemails"]
