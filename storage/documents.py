"""Imported procedure documents: each revision's sections, and how they changed since the last.

The bank file says which questions exist; these tables say what the procedure itself said at
each revision, so a new revision can flag exactly the questions whose sections changed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.base import Base, UTCDateTime, utcnow

# How a section compares with the same-numbered section of the previous revision.
NEW = "new"
CHANGED = "changed"
UNCHANGED = "unchanged"


class ProcedureDocument(Base):
    """One imported revision of one procedure document."""

    __tablename__ = "procedure_document"
    __table_args__ = (UniqueConstraint("code", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), index=True)
    original_id: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(200))
    revision: Mapped[str] = mapped_column(String(20))
    owner: Mapped[str | None] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(Text)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Section numbers of the previous revision that this one no longer has.
    removed_sections: Mapped[list[str]] = mapped_column(JSON, default=list)

    sections: Mapped[list[DocumentSection]] = relationship(
        back_populates="document", order_by="DocumentSection.position", cascade="all"
    )


class DocumentSection(Base):
    """One numbered section of an imported revision, with where it came from."""

    __tablename__ = "document_section"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("procedure_document.id", ondelete="CASCADE")
    )
    position: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(60))
    heading: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    fingerprint: Mapped[str] = mapped_column(String(16))
    paragraph: Mapped[int] = mapped_column(Integer)
    page: Mapped[int | None] = mapped_column(Integer)
    change: Mapped[str] = mapped_column(String(12))

    document: Mapped[ProcedureDocument] = relationship(back_populates="sections")


class DraftReview(Base):
    """A reviewer's decision on a drafted or flagged question: the trail behind the bank file."""

    __tablename__ = "draft_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_code: Mapped[str] = mapped_column(String(40), index=True)
    question_code: Mapped[str] = mapped_column(String(60))
    decision: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str | None] = mapped_column(Text)
    reviewer: Mapped[str] = mapped_column(String(100))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
