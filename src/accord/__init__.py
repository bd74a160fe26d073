"""Accord: the shared workspace for a buyer of outsourced services and its provider."""

__version__ = "0.1.0"
