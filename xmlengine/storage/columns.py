"""The column shapes the entity tables repeat: a flag, a text with a default, an
optional number (their server defaults are what an omitted setting resets to)."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Integer, String, false


def flag(name: str) -> Column[bool]:
    return Column(name, Boolean, nullable=False, server_default=false())


def text(name: str, length: int, default: str = "") -> Column[str]:
    return Column(name, String(length), nullable=False, server_default=default)


def number(name: str) -> Column[int]:
    return Column(name, Integer, nullable=True)
