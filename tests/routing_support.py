"""What the call routing tests share: the account's sandbox peer, entities made over HTTP."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.conftest import Api, codes, status
from xmlengine.http.app import XmlEngineApp


def peer(app: XmlEngineApp, api: Api) -> int:
    """The account's sandbox peer (peers are made by the sandbox so far), made as the
    isolation matrix makes one."""
    from tests.test_isolation import MAKERS as ALL_MAKERS  # it imports this module

    return ALL_MAKERS["peer"](app, api)


def made(answer: dict[str, Any], container: str, item: str) -> dict[str, Any]:
    """The one entity an update answered with."""
    assert status(answer) == "success", codes(answer)
    (details,) = answer[container][item]
    return details  # type: ignore[no-any-return]


def create(api: Api, request_type: str, container: str, item: str, **params: Any) -> int:
    details = made(api.json(request_type, mode="create", **params), container, item)
    return int(next(v for k, v in details.items() if k.startswith("client_")))


FORWARD = {
    "action[0][usage_type]": "forward",
    "action[0][forward_number]": "5145555555",
    "action[0][offset]": "0",
    "action[0][duration]": "60",
}

# How to make each routing kind, for the tenant-isolation matrix.
MAKERS: dict[str, Callable[[XmlEngineApp, Api], int]] = {
    "director_profile": lambda app, api: create(
        api,
        "update_call_director_profile",
        "call_director_profiles",
        "call_director_profile_details",
        friendly_name="Day",
        **FORWARD,
    ),
    "schedule": lambda app, api: create(
        api, "update_schedule", "schedules", "schedule_details", friendly_name="Office"
    ),
    "ivr_profile": lambda app, api: create(
        api,
        "update_ivr_profile",
        "ivr_profiles",
        "ivr_profile_details",
        friendly_name="Main menu",
        status="enabled",
    ),
    "queue": lambda app, api: create(
        api, "update_queue", "queues", "queue_details", friendly_name="Support"
    ),
    "queue_agent": lambda app, api: create(
        api, "update_queue_agent", "queue_agents", "queue_agent_details", friendly_name="Ann"
    ),
    "extension": lambda app, api: create(
        api, "update_extension", "extensions", "extension_details", extension=_next_extension()
    ),
}


def _next_extension() -> str:
    """A number no other extension of the test has: one account may get several."""
    _numbers.append(1000 + len(_numbers))
    return str(_numbers[-1])


_numbers: list[int] = []
