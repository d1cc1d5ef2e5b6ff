"""The family the fax request types are declared in, and the values its tables share."""

from xmlengine.protocol.registry import Family
from xmlengine.storage.account_scope import own
from xmlengine.storage.fax_tables import call_faxes

family = Family("faxes")

# What get_faxes and delete_faxes name by id (their listings are built by hand).
own("call_fax", call_faxes, "call_fax_id")

PAGE_FORMATS = ("letter", "legal", "a4")
RESOLUTIONS = ("standard", "fine", "super_fine", "ultra_fine")
