"""Reviewing drafted and flagged questions: what awaits review, and each reviewer's decision."""
