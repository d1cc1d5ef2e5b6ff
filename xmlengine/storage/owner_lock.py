"""One holder at a time of a role (the network owner) per data directory and per database.

Two locks, both released by the operating system or the database when their holder dies,
even by `kill -9`, so a successor takes over at once: an exclusive lock on a file of the
data directory (the processes of one `serve`, and every process on one SQLite file), and,
on PostgreSQL, a session-level advisory lock on a connection held for as long as the role
(every node on one database).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
from pathlib import Path
from typing import IO

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from xmlengine.storage.database import Database

log = logging.getLogger("xmlengine.storage")


def advisory_key(role: str) -> int:
    """A stable signed 64-bit key for the role's advisory lock."""
    digest = hashlib.sha256(f"xmlengine:{role}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class OwnerLock:
    def __init__(self, db: Database, data_dir: Path, role: str) -> None:
        self.db = db
        self.path = data_dir / f"{role}.lock"
        self.key = advisory_key(role)
        self._file: IO[bytes] | None = None
        self._session: AsyncConnection | None = None

    @property
    def held(self) -> bool:
        return self._file is not None

    async def acquire(self) -> bool:
        """Take both locks without waiting; whether this process now holds the role."""
        if self._file is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("ab")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        try:
            session = await self.db.session()
            if session is not None:
                result = await session.execute(
                    text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key}
                )
                taken = bool(result.scalar_one())
                await session.commit()
                if not taken:
                    await session.close()
                    handle.close()
                    return False
                self._session = session
        except Exception:
            handle.close()
            raise
        self._file = handle
        return True

    async def still_held(self) -> bool:
        """False once the database session holding the advisory lock is gone."""
        if self._file is None:
            return False
        if self._session is None:
            return True
        try:
            await self._session.execute(text("SELECT 1"))
            await self._session.commit()
        except Exception:
            log.exception("the network owner's database session was lost")
            await self.release()
            return False
        return True

    async def release(self) -> None:
        if self._session is not None:
            with contextlib.suppress(Exception):
                await self._session.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": self.key}
                )
                await self._session.commit()
            with contextlib.suppress(Exception):
                await self._session.close()
            self._session = None
        if self._file is not None:
            self._file.close()  # releases the file lock
            self._file = None
