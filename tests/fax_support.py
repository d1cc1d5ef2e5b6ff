"""Fax profiles and faxes for tests: profiles made through the API, faxes received as the
sandbox network records them."""

from __future__ import annotations

import secrets
import time
from typing import Any

from tests.conftest import Api, codes, status
from tests.scope_support import for_account
from xmlengine.domain import fax_documents, fax_profiles
from xmlengine.domain.fax_transmission import Received, receive
from xmlengine.domain.sandbox.lines import ensure_sandbox_lines
from xmlengine.http.app import XmlEngineApp
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.did_tables import dids

PROFILE = {
    "friendly_name": "Front desk",
    "local_ident": "ACME Inc",
    "fax_header": "ACME Fax",
    "callerid_name": "ACME",
    "callerid_number": "5145550100",
    "email": "fax@example.com",
    "language": "en",
    "allowed_senders": "anna@example.com,bob@example.com",
    "page_format": "letter",
    "resolution": "fine",
    "status": "enabled",
}


def fax_profile(api: Api, **fields: Any) -> dict[str, Any]:
    answer = api.json("update_fax_profile", mode="create", **{**PROFILE, **fields})
    assert status(answer) == "success", codes(answer)
    (profile,) = answer["fax_profiles"]["fax_profile_details"]
    return profile  # type: ignore[no-any-return]


def text_pdf(pages: int) -> bytes:
    text = "\f".join(f"page {n}" for n in range(1, pages + 1))
    source = fax_documents.Source("a.txt", "text/plain", text.encode())
    return fax_documents.render([source], "letter", "standard").data


def received_fax(
    app: XmlEngineApp,
    api: Api,
    profile_id: int,
    *,
    at: float | None = None,
    pages: int = 2,
    failed: bool = False,
) -> tuple[int, str]:
    """A fax the network brought to the account's first sandbox DID, which receives with
    the profile; its id and hash."""
    started = time.time() - 120 if at is None else at
    call_hash = secrets.token_hex(16)

    def work(acct: AccountScope) -> int:
        ensure_sandbox_lines(acct, now=started)
        did_id, number = acct.execute(
            acct.select(dids, dids.c.client_did_id, dids.c.phone_number).order_by(
                dids.c.client_did_id
            )
        ).first() or (0, "")
        acct.execute(
            acct.update(dids)
            .where(dids.c.client_did_id == did_id)
            .values(client_fax_profile_id=profile_id, options="enable_fax")
        )
        profile = fax_profiles.for_did(acct, did_id)
        assert profile is not None
        fax = Received(
            call_hash=call_hash,
            did_id=did_id,
            source="4165550123",
            destination=str(number),
            started_at=started,
            ended_at=started + 66,
            pages=0 if failed else pages,
            document=None if failed else text_pdf(pages),
            reason="busy" if failed else "",
        )
        return receive(acct, profile, fax, now=started)

    return for_account(app, api.credentials.client_account_id, work), call_hash


def make_profile(app: XmlEngineApp, api: Api) -> int:
    return int(fax_profile(api)["client_fax_profile_id"])


def make_fax(app: XmlEngineApp, api: Api) -> int:
    return received_fax(app, api, make_profile(app, api))[0]
