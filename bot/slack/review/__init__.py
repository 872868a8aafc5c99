"""Reviewing drafted and flagged questions in Slack: the owner's DM, its buttons and modals."""
