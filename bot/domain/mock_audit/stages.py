"""What each interview stage asks about, in the words findings use."""

from __future__ import annotations

STAGE_TOPICS = {
    "policy": "the policy and what it means for their work",
    "objectives": "the objectives that concern them and how they contribute",
    "procedures": "the procedures for their own work and where to find them",
    "problems": "what to do when things go wrong",
    "implications": "what follows from not following the system",
}
