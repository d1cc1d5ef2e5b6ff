"""Stored files are removed by the worker after the deleting transaction commits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import Connection, select
from starlette.testclient import TestClient

from tests.conftest import Api
from tests.media_support import (
    file_worker,
    leave_voicemail,
    local_epoch,
    media_files,
    record,
    remove_files,
)
from xmlengine.clock import ManualClock
from xmlengine.domain import recordings
from xmlengine.domain.accounts import find_login
from xmlengine.http.app import XmlEngineApp
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.media_tables import call_recordings
from xmlengine.storage.work_tables import DONE, PENDING, outbox
from xmlengine.work.file_removal import KIND


class Refused(Exception):
    """What makes the deleting transaction roll back after the delete."""


@pytest.fixture(autouse=True)
def empty_outbox(app: XmlEngineApp) -> None:
    """Workers claim every due event: earlier tests' would be counted with these."""
    app.deps.db.run_sync(lambda conn: conn.execute(outbox.delete()))


def stored(app: XmlEngineApp, paths: list[Path]) -> list[str]:
    """The paths as rows and events keep them: relative to the data directory."""
    return [str(path.relative_to(app.deps.settings.data_dir)) for path in paths]


def removals(app: XmlEngineApp, account_id: int) -> list[Any]:
    query = select(outbox).where(outbox.c.kind == KIND, outbox.c.account_id == account_id)
    return app.deps.db.run_sync(lambda conn: conn.execute(query).all())


def test_a_delete_that_rolls_back_leaves_the_file(
    app: XmlEngineApp, api: Api, client: TestClient
) -> None:
    made = record(app, api.credentials, at=local_epoch("2024-03-01"))
    (path,) = media_files(app, api.credentials, "recordings")

    def delete_then_fail(conn: Connection) -> None:
        account = find_login(conn, api.credentials.auth_token, username=api.credentials.username)
        assert account is not None
        acct = AccountScope(conn, account, clock=app.deps.limits.clock, settings=app.deps.settings)
        rows = recordings.find(acct, recordings.Search(ids=[made.call_recording_id]))
        assert recordings.RECORDINGS.delete(acct, rows, "") == [made.call_recording_id]
        raise Refused  # a later step of the same unit of work fails

    with pytest.raises(Refused):
        app.deps.db.run_sync(delete_then_fail)
    assert path.is_file()
    assert removals(app, api.credentials.client_account_id) == []
    remove_files(app, client)
    assert path.is_file()
    url = f"/api/v1.1/recordings/{made.recording_hash}.wav"
    assert client.get(url, params=api.auth()).content == path.read_bytes()


def test_a_committed_delete_removes_the_files_once_the_worker_runs(
    app: XmlEngineApp, api: Api, client: TestClient
) -> None:
    made = [record(app, api.credentials, at=local_epoch("2024-03-01")) for _ in range(2)]
    message = leave_voicemail(app, api.credentials, at=local_epoch("2024-03-01"))
    ids = ",".join(str(m.call_recording_id) for m in made)
    api.json("delete_recordings", call_recording_id=ids)
    api.json("delete_voicemails", call_voicemail_id=str(message.call_voicemail_id))
    # Committed: the rows say deleted, the files wait for the worker.
    assert len(media_files(app, api.credentials, "recordings")) == 2
    assert len(media_files(app, api.credentials, "voicemails")) == 1
    events = removals(app, api.credentials.client_account_id)
    assert [sorted(orjson.loads(e.payload)["paths"]) for e in events] == [
        stored(app, media_files(app, api.credentials, "recordings")),
        stored(app, media_files(app, api.credentials, "voicemails")),
    ]
    assert remove_files(app, client) == 2
    assert media_files(app, api.credentials, "recordings") == []
    assert media_files(app, api.credentials, "voicemails") == []
    assert {e.status for e in removals(app, api.credentials.client_account_id)} == {DONE}
    # The rows stay, without their files.
    paths = app.deps.db.run_sync(
        lambda conn: conn.execute(
            select(call_recordings.c.file_path, call_recordings.c.status).where(
                call_recordings.c.account_id == api.credentials.client_account_id
            )
        ).all()
    )
    assert sorted(tuple(row) for row in paths) == [("", "deleted"), ("", "deleted")]


def test_a_crash_between_commit_and_removal_still_removes_the_files(
    app: XmlEngineApp, api: Api, client: TestClient, clock: ManualClock
) -> None:
    for _ in range(2):
        record(app, api.credentials, at=local_epoch("2024-03-01"))
    api.json("delete_recordings", date="2024-03-02")
    first, second = media_files(app, api.credentials, "recordings")
    # A worker claims the event, removes one of its files and dies before it records
    # anything: the event stays leased to it, then comes back whole.
    dead = file_worker(app, lease_seconds=60)
    (claimed,) = client.portal.call(dead.claim, 10)
    assert sorted(claimed.payload["paths"]) == stored(app, [first, second])
    first.unlink()
    assert remove_files(app, client) == 0  # still leased to the dead worker
    assert second.is_file()
    clock.advance(61)
    assert remove_files(app, client) == 1  # the file already gone is fine
    assert media_files(app, api.credentials, "recordings") == []
    (event,) = removals(app, api.credentials.client_account_id)
    assert (event.status, event.attempts, event.last_error) == (DONE, 1, "")


def test_a_file_that_cannot_be_removed_is_tried_again_later(
    app: XmlEngineApp, api: Api, client: TestClient, clock: ManualClock
) -> None:
    record(app, api.credentials, at=local_epoch("2024-03-01"))
    (path,) = media_files(app, api.credentials, "recordings")
    api.json("delete_recordings", date="2024-03-02")
    path.unlink()
    path.mkdir()  # what stands at the file's path now cannot be unlinked
    assert remove_files(app, client) == 1
    (event,) = removals(app, api.credentials.client_account_id)
    assert (event.status, event.attempts) == (PENDING, 1)
    assert event.last_error.startswith(stored(app, [path])[0])
    path.rmdir()
    clock.advance(3600)  # past the back-off
    assert remove_files(app, client) == 1
    (event,) = removals(app, api.credentials.client_account_id)
    assert (event.status, event.attempts) == (DONE, 2)
