"""Keeping a failure after the ack from undoing the ack."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar, cast

from slack_sdk import WebClient

from bot.slack import texts
from bot.slack.messages import tell
from bot.slack.work import admitted

log = logging.getLogger(__name__)

Listener = TypeVar("Listener", bound=Callable[..., None])
P = ParamSpec("P")


def after_ack(listener: Listener) -> Listener:
    """Log any failure after the ack instead of letting it escape; and once the listener has
    acknowledged, let it go on only when the listener pool admits it (`bot.slack.work`).

    An exception escaping a listener makes Bolt withdraw the ack it already gave, so Slack
    would see the request fail and retry it. What was recorded before the failure stays.
    """

    @functools.wraps(listener)
    def guarded(*args: Any, **kwargs: Any) -> None:
        if "ack" in kwargs:
            kwargs["ack"] = _ThenAdmitted(kwargs["ack"])
        else:
            admitted()  # an event: Bolt acknowledged it before the listener started
        try:
            listener(*args, **kwargs)
        except Exception:
            log.exception("%s failed after acknowledging", listener.__name__)
            user = _user_of(kwargs)
            client = kwargs.get("client")
            if user and isinstance(client, WebClient):
                tell(client, user=user, text=texts.SORRY)

    return cast(Listener, guarded)


class _ThenAdmitted:
    """The listener's `ack`: once it has answered Slack, the listener waits its turn to go on."""

    def __init__(self, ack: Callable[..., Any]) -> None:
        self._ack = ack

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        response = self._ack(*args, **kwargs)
        admitted()
        return response


def apologising(
    work: Callable[P, None], *, client: WebClient, user: str, what: str
) -> Callable[P, None]:
    """`work` done after the ack, off the listener: a failure is logged and the person told,
    as `after_ack` does for a listener."""

    @functools.wraps(work)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            work(*args, **kwargs)
        except Exception:
            log.exception("%s failed after acknowledging", what)
            tell(client, user=user, text=texts.SORRY)

    return guarded


def _user_of(kwargs: dict[str, Any]) -> str | None:
    # Read with care: the failure being handled may be this very payload's shape.
    if isinstance(command := kwargs.get("command"), dict):
        user = command.get("user_id")
    elif isinstance(body := kwargs.get("body"), dict) and isinstance(body.get("user"), dict):
        user = body["user"].get("id")
    else:
        return None
    return user if isinstance(user, str) and user else None
