from __future__ import annotations

from bot.sandbox.blockkit import validate_view
from bot.services.quiz.service import Progress
from bot.slack.home import home_view


def test_home_view_fits_and_shows_own_progress() -> None:
    view = home_view(Progress(answers=12, correct=9, to_reread=[("QP-08", "4.2")] * 10))
    assert validate_view(view, expected="home") == []
    assert "75%" in str(view)
