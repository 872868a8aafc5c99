"""Persistence: typed models, the unit of work, migrations and read-side queries."""
