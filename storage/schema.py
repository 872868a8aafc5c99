"""The complete schema: every table module imported, so the metadata holds every table.

Whoever needs all the tables at once (Alembic's environment, schema comparisons,
`create_all`) takes `metadata` from here; a table module alone only knows its own tables.
"""

from __future__ import annotations

from sqlalchemy import MetaData

from storage import documents, models, review_messages, tallies, verdicts
from storage.base import Base

# Importing a table module is what puts its tables in the metadata.
TABLE_MODULES = (models, tallies, verdicts, documents, review_messages)

metadata: MetaData = Base.metadata
