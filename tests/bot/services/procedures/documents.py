"""A small procedure, written for these tests, at revision 3 and at revision 4."""

from __future__ import annotations

from pathlib import Path

REVISION_3 = """\
---
id: QP 20
title: Control of nonconforming product
revision: "3"
owner: Quality Manager
---

# Control of nonconforming product

## 1 Purpose

This procedure makes sure that product which does not conform is identified and kept apart.

## 4 Procedure

### 4.1 Identifying nonconforming product

The operator who finds a nonconforming part shall attach a red tag to it.

### 4.2 Segregation

Tagged product shall be moved to the quarantine cage within 2 hours.

### 4.3 Disposition

The Quality Engineer is responsible for deciding the disposition of quarantined product.

## 5 Records

Each nonconformity is recorded on form QF-20 and kept for 3 years.
"""

REVISION_4 = REVISION_3.replace('revision: "3"', 'revision: "4"').replace(
    "moved to the quarantine cage within 2 hours",
    "moved to the quarantine cage before the end of the shift",
)


def write(folder: Path, text: str, name: str = "qp-20.md") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
