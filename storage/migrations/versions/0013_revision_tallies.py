"""revision tallies: answers counted per procedure revision, from the answers on record

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The summary now reads rows per procedure revision; a database upgraded from before has
    # answers but none of those rows, so they are counted here as a rebuild would.
    from storage.rebuild import rebuild

    rebuild(op.get_bind())


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM daily_tally WHERE kind = 'revision'"))
