"""Procedure ids as the bank writes them, from however a document writes them."""

from __future__ import annotations

import re
import unicodedata

from questions.model import PROCEDURE_ID_PATTERN

_SEPARATORS = re.compile(r"[^A-Z0-9]+")
_LETTERS_THEN_DIGITS = re.compile(r"^([A-Z]+)([0-9][A-Z0-9]*)$")


def normalise_procedure_id(text: str) -> str:
    """The bank's spelling of a procedure id, or "" when none can be made of `text`.

    Upper case; every run of spaces, dots, underscores, slashes or dashes becomes one dash
    ("CSC PR.016" → "CSC-PR-016", "qp 08" → "QP-08", "SOP_12.3" → "SOP-12-3"). An id written
    with no separator at all is split where its letters end and its digits begin ("QP08" →
    "QP-08"), since the bank needs a dash. Accents are dropped. An id that still does not start
    with a letter ("08") gives "", so the reader reports the id as missing.
    """
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    dashed = _SEPARATORS.sub("-", plain.upper()).strip("-")
    if "-" not in dashed and (split := _LETTERS_THEN_DIGITS.match(dashed)):
        dashed = f"{split[1]}-{split[2]}"
    return dashed if PROCEDURE_ID_PATTERN.match(dashed) else ""
