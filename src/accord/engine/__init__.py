"""Accord's computation engine: pure Python, no Django.

The app hands it plain data and paths; it hands back plain results. It runs on
its own from the command line (``accord engine ...``).
"""
