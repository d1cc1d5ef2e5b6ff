"""xmlengine: a self-hosted, wire-compatible server for the XML Engine carrier API."""

__version__ = "0.1.0"
