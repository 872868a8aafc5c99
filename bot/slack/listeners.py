"""Every listener, attached to the Bolt app: each feature registers its own."""

from __future__ import annotations

import logging

from slack_bolt import App

from bot.services.registry import Services
from bot.slack.home import register_home
from bot.slack.mock_audit.listeners import register_mock_audit
from bot.slack.quiz.listeners import register_quiz
from bot.slack.rounds.delivery import Sender
from bot.slack.rounds.listeners import register_rounds
from bot.slack.router import register_awareness
from bot.slack.summary.listeners import register_summary

log = logging.getLogger(__name__)


def register(app: App, services: Services, sender: Sender) -> None:
    """Attach every listener to the Bolt app."""
    register_mock_audit(app, services)
    register_quiz(app, services)
    register_awareness(app, services, sender)
    register_summary(app, services)
    register_rounds(app, services, sender)
    register_home(app, services)

    @app.error
    def on_error(error: Exception) -> None:
        log.error("listener failed: %s", error.__class__.__name__, exc_info=error)
