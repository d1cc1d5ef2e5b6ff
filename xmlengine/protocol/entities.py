"""Owned entities, each declared once: what a `get_*` lists, an `update_*` writes, an id names.

An `Entity` names its table, its id (column and wire name), the `Ref` kind parameters use
for it, its listing tags (`<channels><channel_details>`) and its fields, each with the
column it is kept in and its wire conversions both ways. From that one declaration come
the scoped find / list / save / delete, the listing, the update-arguments-to-columns
mapping and the entry in `account_scope.OWNED` that `Ref` ids are checked against.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import Row, Table
from sqlalchemy.sql.elements import ColumnElement

from xmlengine.params.table import Params
from xmlengine.protocol.errors import ApiError
from xmlengine.protocol.metadata import metadata_element
from xmlengine.protocol.presentation import Presentation
from xmlengine.protocol.registry import Reply
from xmlengine.protocol.tree import El, Node, Record, listing, record
from xmlengine.storage.account_scope import AccountScope, own

KEEP: Final = object()  # what a field's `store` answers to leave the column as it is


def _as_is(value: Any, show: Presentation) -> Any:
    return value


@dataclass(frozen=True, slots=True)
class Field:
    """One field of an entity: its wire name, its column, and its conversions."""

    name: str
    column: str
    show: Callable[[Any, Presentation], Any] = _as_is  # stored value -> wire value
    # update arguments -> stored value (KEEP leaves it); None: not written by an update
    store: Callable[[Params], Any] | None = None
    fallback: str = ""  # the column shown when this one is empty
    params: tuple[str, ...] = ()  # the parameters it is written from; its name by default

    def written_by(self, args: Params) -> bool:
        return self.store is not None and any(n in args.table for n in self.params or (self.name,))


def _param(name: str, convert: Callable[[Any], Any] = lambda v: v) -> Callable[[Params], Any]:
    return lambda args: convert(getattr(args, name))


def text(name: str, column: str = "", *, writable: bool = True) -> Field:
    return Field(name, column or name, store=_param(name) if writable else None)


number = text  # ids and counts: written as given, shown as their digits


def optional_id(name: str, column: str = "") -> Field:
    """An id where 0 or nothing means none (stored as NULL)."""
    return Field(name, column or name, store=_param(name, lambda v: v or None))


def yes_no(name: str, column: str = "") -> Field:
    return Field(name, column or name, lambda v, _: "yes" if v else "no", _param(name, bool))


def comma_list(name: str, column: str = "") -> Field:
    """A list parameter kept as `a,b` text."""
    return Field(name, column or name, store=_param(name, lambda v: ",".join(v or ())))


def local_datetime(name: str, column: str, *, fallback: str = "") -> Field:
    """A moment shown in the account's time zone; `fallback` names the column used when empty."""
    return Field(name, column, lambda v, show: show.datetime_text(v), fallback=fallback)


def money(name: str, column: str = "", *, decimals: int = 2) -> Field:
    return Field(name, column or name, lambda v, show: show.money(v, decimals))


def _metadata(args: Params) -> Any:
    for name in ("serialized_metadata", "raw_metadata"):
        if args.given(name):
            return getattr(args, name)
    return KEEP


def metadata(column: str = "metadata") -> Field:
    """The guide's "Api Metadata": kept unless `serialized_metadata` or `raw_metadata` is sent."""
    return Field(
        "metadata",
        column,
        lambda v, _: metadata_element(v),
        _metadata,
        params=("serialized_metadata", "raw_metadata"),
    )


Extra = Callable[[Row[Any]], Iterable[Node]]


class Entity:
    def __init__(
        self,
        kind: str,
        *,
        table: Table,
        id: str,
        listing: tuple[str, str],
        fields: Sequence[Field],
        id_column: str = "",
    ) -> None:
        self.kind = kind
        self.table = table
        self.id = id
        self.id_column = table.c[id_column or id]
        self.container, self.item_tag = listing
        self.fields = tuple(fields)
        self.owned = own(kind, table, id_column or id)
        self._stamps = {name for name in ("created_at", "updated_at") if name in table.c}

    # Storage, always through the account's scope.

    def find(self, acct: AccountScope, entity_id: int) -> Row[Any] | None:
        return acct.execute(acct.select(self.table).where(self.id_column == entity_id)).first()

    def rows(
        self, acct: AccountScope, *where: ColumnElement[bool], entity_id: int | None = None
    ) -> list[Row[Any]]:
        query = acct.select(self.table).where(*where).order_by(self.id_column)
        if entity_id:
            query = query.where(self.id_column == entity_id)
        return list(acct.execute(query))

    def values(self, args: Params, *, only_given: bool = False, **overrides: Any) -> dict[str, Any]:
        """The columns an update writes: every writable field the arguments have (with
        `only_given`, those given: the guide's `preserve_missing_data`)."""
        values: dict[str, Any] = {}
        for field in self.fields:
            if field.store is None or not field.written_by(args):
                continue
            if only_given and not any(args.given(n) for n in field.params or (field.name,)):
                continue
            value = field.store(args)
            if value is not KEEP:
                values[field.column] = value
        values.update(overrides)
        return values

    def save(
        self, acct: AccountScope, args: Params, *, only_given: bool = False, **overrides: Any
    ) -> int:
        """Create (mode `create`) or update (the id the arguments name); the entity's id."""
        values = self.values(args, only_given=only_given, **overrides)
        now = acct.clock.now()
        if getattr(args, "mode", "update") == "create":
            values.update({stamp: now for stamp in self._stamps})
            query = acct.insert(self.table).values(**values).returning(self.id_column)
            return int(acct.execute(query).scalar_one())
        entity_id: int | None = getattr(args, self.id)
        if not entity_id:  # 0, "none" elsewhere, names nothing to update
            raise ApiError([f"{self.id}_invalid"])
        if "updated_at" in self._stamps:
            values["updated_at"] = now
        acct.execute(acct.update(self.table).where(self.id_column == entity_id).values(**values))
        return entity_id

    def delete(self, acct: AccountScope, entity_id: int) -> bool:
        query = acct.delete(self.table).where(self.id_column == entity_id)
        return bool(acct.execute(query).rowcount)

    # Presentation.

    def details(self, row: Row[Any], show: Presentation) -> dict[str, Any]:
        found = row._mapping
        fields: dict[str, Any] = {self.id: found[self.id_column.name]}
        for field in self.fields:
            value = found[field.column]
            if field.fallback and not value:
                value = found[field.fallback]
            fields[field.name] = field.show(value, show)
        return fields

    def item(self, row: Row[Any], show: Presentation, extra: Extra | None = None) -> Record:
        element = record(self.item_tag, self.details(row, show))
        if extra is not None:
            element.extend(extra(row))
        return element

    def listing(
        self,
        rows: Iterable[Row[Any]],
        show: Presentation,
        *,
        before: Sequence[dict[str, Any]] = (),
        extra: Extra | None = None,
    ) -> El:
        items = [record(self.item_tag, fields) for fields in before]
        items += [self.item(row, show, extra) for row in rows]
        return listing(self.container, self.item_tag, items, result_count=len(items))

    def reply(
        self, acct: AccountScope, show: Presentation, entity_id: int, extra: Extra | None = None
    ) -> Reply:
        """One entity, answered exactly as the matching `get_*` shows it."""
        return Reply([self.listing(self.rows(acct, entity_id=entity_id), show, extra=extra)])
