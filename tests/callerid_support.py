"""Caller ID profiles in the tests: made through update_callerid_profile over HTTP."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import Api
from tests.routing_support import made
from xmlengine.http.app import XmlEngineApp

PROFILES = ("callerid_profiles", "callerid_profile_details")


def profile(api: Api, conditions: list[dict[str, Any]] | None = None, **params: Any) -> Any:
    """A new enabled profile (its details as update_callerid_profile answers them)."""
    values = {"mode": "create", "friendly_name": "Outbound", "status": "enabled", **params}
    if conditions is not None:
        values["conditions_data"] = json.dumps(conditions)
    return made(api.json("update_callerid_profile", **values), *PROFILES)


def make_profile(app: XmlEngineApp, api: Api) -> int:
    return int(profile(api)["client_callerid_profile_id"])


def make_condition(app: XmlEngineApp, api: Api) -> int:
    (condition,) = profile(api, [{"callerid_number": "5145550100"}])["conditions_data"]
    return int(condition["client_callerid_profile_data_id"])
