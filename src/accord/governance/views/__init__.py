"""Governance pages: forums (the escalation ladder), meetings, decisions and actions."""
