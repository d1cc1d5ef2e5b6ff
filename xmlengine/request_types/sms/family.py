"""The family the SMS request types are declared in."""

from xmlengine.protocol.registry import Family

family = Family("sms")
