"""The family the DID request types are declared in."""

from xmlengine.protocol.registry import Family

family = Family("dids")
