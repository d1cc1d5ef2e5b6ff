"""Entities whose subaccount is an association, not a column of their own.

`update_subaccount_associations` and an entity's own `client_subaccount_id` record the
same link, through `domain/subaccounts.associate`; this shows it (right after the
entity's id) and filters listings by it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row
from sqlalchemy.sql.elements import ColumnElement

from xmlengine.domain import subaccounts
from xmlengine.params.table import Params
from xmlengine.protocol.entities import Entity, Extra
from xmlengine.protocol.presentation import Presentation
from xmlengine.protocol.registry import Reply
from xmlengine.protocol.tree import El, listing, record
from xmlengine.storage.account_scope import AccountScope


@dataclass(frozen=True, slots=True)
class Linked:
    entity: Entity

    @property
    def kind(self) -> str:
        return self.entity.kind

    def rows(
        self,
        acct: AccountScope,
        *where: ColumnElement[bool],
        entity_id: int | None = None,
        subaccount_id: int | None = None,
    ) -> list[Row[Any]]:
        """The entities (one, when named), of one subaccount when it is named."""
        if subaccount_id:
            ids = subaccounts.associated_ids(acct, subaccount_id, self.kind)
            where = (*where, self.entity.id_column.in_(ids))
        return self.entity.rows(acct, *where, entity_id=entity_id)

    def listing(
        self,
        acct: AccountScope,
        show: Presentation,
        rows: Sequence[Row[Any]],
        extra: Extra | None = None,
    ) -> El:
        entity = self.entity
        ids = [row._mapping[entity.id_column.name] for row in rows]
        links = subaccounts.subaccounts_of(acct, self.kind, ids)
        items = []
        for entity_id, row in zip(ids, rows, strict=True):
            fields = entity.details(row, show)
            fields = {
                entity.id: fields.pop(entity.id),
                "client_subaccount_id": links.get(entity_id, 0),
                **fields,
            }
            item = record(entity.item_tag, fields)
            item.extend(extra(row) if extra else ())
            items.append(item)
        return listing(entity.container, entity.item_tag, items, result_count=len(items))

    def reply(
        self,
        acct: AccountScope,
        show: Presentation,
        rows: Iterable[Row[Any]],
        extra: Extra | None = None,
    ) -> Reply:
        return Reply([self.listing(acct, show, list(rows), extra)])

    def save(
        self, acct: AccountScope, args: Params, *, only_given: bool = False, **overrides: Any
    ) -> int:
        """The entity saved, then its subaccount (none when not given, unless `only_given`)."""
        entity_id = self.entity.save(acct, args, only_given=only_given, **overrides)
        if not only_given or args.given("client_subaccount_id"):
            subaccount_id: int | None = getattr(args, "client_subaccount_id", None)
            subaccounts.associate(acct, self.kind, entity_id, subaccount_id)
        return entity_id

    def shown(
        self, acct: AccountScope, show: Presentation, entity_id: int, extra: Extra | None = None
    ) -> Reply:
        """One entity, answered exactly as the matching `get_*` shows it."""
        return self.reply(acct, show, self.entity.rows(acct, entity_id=entity_id), extra)

    def delete(self, acct: AccountScope, entity_id: int) -> bool:
        subaccounts.associate(acct, self.kind, entity_id, None)
        return self.entity.delete(acct, entity_id)
