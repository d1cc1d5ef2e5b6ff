"""The route of provisioning files: `/provisioning/{client_device_endpoint_id}/{secret}/{file}`.

Any other path under it stays unknown (404 before anything is read); protocol/
provisioning.py answers it, sent as a download is.
"""

from __future__ import annotations

import re

PROVISIONING_PATH = re.compile(
    r"^/provisioning/([1-9][0-9]{0,8})/([A-Za-z0-9_\-]{16,64})/([A-Za-z0-9_.\-]{1,64})$"
)


def route(path: str) -> tuple[int, str, str] | None:
    """The endpoint id, secret and file name a path names, or None."""
    match = PROVISIONING_PATH.match(path)
    if match is None:
        return None
    endpoint_id, secret, name = match.groups()
    return int(endpoint_id), secret, name
