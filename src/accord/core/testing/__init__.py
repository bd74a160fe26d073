"""Shared test helpers: the two-party test world and the isolation matrix.

Imported only by tests (it uses factory_boy, a development dependency).
"""
