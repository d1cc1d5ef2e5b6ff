"""Applying the Alembic migrations (`xmlengine db upgrade`; `serve` does it on SQLite)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection

from xmlengine.storage.database import Database


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", "xmlengine.storage:migrations")
    config.attributes["connection"] = connection
    return config


def upgrade(db: Database, revision: str = "heads") -> None:
    def apply(conn: Connection) -> None:
        command.upgrade(alembic_config(conn), revision)

    db.run_sync(apply)
