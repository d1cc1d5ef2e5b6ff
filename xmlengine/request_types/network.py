"""The carrier's network: its SIP proxies and the status of incidents."""

from __future__ import annotations

from sqlalchemy import func, select

from xmlengine.params.paging import paging
from xmlengine.params.table import Params, p
from xmlengine.params.types import Int, choice
from xmlengine.protocol.errors import ApiError
from xmlengine.protocol.presentation import Presentation
from xmlengine.protocol.registry import Family, Reply
from xmlengine.protocol.tree import listing
from xmlengine.reference import geography
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.catalog_tables import network_status, proxies

family = Family("network")


@family.request_type("get_proxies", summary="Get the list of available proxies.")
class GetProxies(Params):
    proxy_id: int | None = p(Int(minimum=1))


@family.handler(GetProxies)
def get_proxies(args: GetProxies, acct: AccountScope, show: Presentation) -> Reply:
    query = select(proxies).order_by(proxies.c.proxy_id)
    if args.proxy_id is not None:
        query = query.where(proxies.c.proxy_id == args.proxy_id)
    rows = list(acct.execute(query))
    if args.proxy_id is not None and not rows:
        raise ApiError(["proxy_id_invalid"])
    items = []
    for row in rows:
        country = geography.country(row.country_id)
        items.append(
            {
                "proxy_id": row.proxy_id,
                "name": row.name,
                "hostname": row.hostname,
                "ip_address": row.ip_address,
                "port": row.port,
                "city": row.city,
                "country_id": row.country_id,
                "country": country.name(show.language) if country else "",
                "status": row.status,
            }
        )
    return Reply([listing("proxies", "proxy_details", items, result_count=len(items))])


@family.request_type(
    "get_network_status", summary="Get the network status entries, latest or unresolved."
)
class GetNetworkStatus(Params):
    mode: str = p(choice("latest", "unresolved"), default="latest")
    limit, offset = paging(default=5, maximum=None, offset_default=0)


@family.handler(GetNetworkStatus)
def get_network_status(args: GetNetworkStatus, acct: AccountScope, show: Presentation) -> Reply:
    ns = network_status
    where = ns.c.resolved_at.is_(None) if args.mode == "unresolved" else ns.c.network_status_id > 0
    total = acct.execute(select(func.count()).select_from(ns).where(where)).scalar_one()
    query = (
        select(ns)
        .where(where)
        .order_by(ns.c.created_at.desc(), ns.c.network_status_id.desc())
        .limit(args.limit)
        .offset(args.offset)
    )
    items = [
        {
            "network_status_id": row.network_status_id,
            "title": row.title,
            "description": row.description,
            "severity": row.severity,
            "status": "unresolved" if row.resolved_at is None else "resolved",
            "date_created": show.datetime_text(row.created_at),
            "date_updated": show.datetime_text(row.updated_at),
            "date_resolved": show.datetime_text(row.resolved_at),
        }
        for row in acct.execute(query)
    ]
    return Reply(
        [
            listing(
                "network_status",
                "network_status_details",
                items,
                result_count=len(items),
                result_total=total,
                result_limit=args.limit,
                result_offset=args.offset,
            )
        ]
    )
