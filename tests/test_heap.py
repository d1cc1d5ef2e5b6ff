"""The garbage collector as the started app leaves it (http.app `_freeze_heap`)."""

from __future__ import annotations

import gc

from starlette.testclient import TestClient

from xmlengine.http.app import YOUNG_THRESHOLD


def test_start_up_freezes_the_heap_and_raises_the_young_threshold(client: TestClient) -> None:
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold()[0] == YOUNG_THRESHOLD
