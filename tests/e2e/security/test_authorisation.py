"""Who sees what, on every path into the gap reports.

Department A is Warehouse, overseen by Grace; department B is Production. Both have answered
(through Slack) and both have a gap. For every path, in the order a curious person might try
them, three people act:

- Tomasz, Warehouse staff: refused everywhere; his Home tab shows his own results only;
- Grace, manager of Warehouse: never receives anything about Production (its name, its
  procedure QP-14 and clause 7.1.5, its people) in an ack, a DM, her Home tab or a file;
- Helen, the admin: sees Production on every path.

The names a person types come back in refusals ("I can't send a round to 'Production'"); that
echo is checked exactly and is the only place a B marker may appear for Grace.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
import pytest
from sqlalchemy import func, select

from bot.sandbox import SandboxUser
from bot.slack.ids import GapAction
from bot.slack.rounds.views import no_such_department
from bot.slack.summary.views import cannot_show
from bot.slack.texts import NOT_ALLOWED
from storage import models
from tests.e2e.conftest import Enrol, Plan
from tests.e2e.harness import E2E, ack_text, message_text
from tests.e2e.payloads import block_actions, event_callback
from tests.e2e.workspace import AMARA, GRACE, HELEN, JONAS, TOMASZ, roster_row, team

A, B = "Warehouse", "Production"
B_PROCEDURE, B_CLAUSE = "QP-14", "ISO 9001:2015 7.1.5"
(NEW_IN_A, ANOTHER_IN_A), (NEW_IN_B,) = team(A, 2), team(B, 1)
B_PEOPLE = (AMARA, JONAS, NEW_IN_B)
B_MARKERS = (B, B_PROCEDURE, "7.1.5", *(u.name for u in B_PEOPLE), *(u.id for u in B_PEOPLE))
PLAN: Plan = [
    ("EP-03-007", [(TOMASZ, "a"), (NEW_IN_A, "b"), (ANOTHER_IN_A, "c")]),  # A: 0 of 3
    ("QP-14-001", [(AMARA, "a"), (JONAS, "b"), (NEW_IN_B, "c")]),  # B: 0 of 3
]


@dataclass
class Seen:
    """Everything one person got back from one action: the ack, DMs, Home tab and files."""

    ack: str = ""
    messages: list[str] = field(default_factory=list)
    home: str = ""
    files: dict[str, str] = field(default_factory=dict)

    def everything(self) -> str:
        return "\n".join([self.ack, *self.messages, self.home, *self.files.values()])


Action = Callable[[E2E, SandboxUser], httpx.Response]


def _typed(text: str) -> Action:
    def run(e2e: E2E, user: SandboxUser) -> httpx.Response:
        return e2e.command(user, "/awareness", text)

    return run


def _button(action_id: GapAction, value: str) -> Action:
    """A click on a gap button carrying `value`, as a forged or stale message could send it."""

    def run(e2e: E2E, user: SandboxUser) -> httpx.Response:
        dm = e2e.sandbox.dm_channel(user.id)
        message = {"ts": "1793000000.000100", "channel": dm, "text": "Awareness summary"}
        action = {
            "action_id": action_id.value,
            "block_id": "gaps",
            "type": "button",
            "text": {"type": "plain_text", "text": value},
            "value": value,
        }
        handle = user.name.lower().replace(" ", ".")
        body = block_actions(user_id=user.id, user_name=handle, message=message, action=action)
        return e2e.slack.form(body)

    return run


def _home(e2e: E2E, user: SandboxUser) -> httpx.Response:
    dm = e2e.sandbox.dm_channel(user.id)
    return e2e.slack.json(event_callback("app_home_opened_home_tab.json", user=user.id, channel=dm))


PATHS: dict[str, Action] = {
    "summary": _typed(""),
    "department": _typed(f"department {B}"),
    "procedure": _typed(f"procedure {B_PROCEDURE}"),
    "clause": _typed(f"clause {B_CLAUSE}"),
    "department button": _button(GapAction.DEPARTMENT, B),
    "procedure button": _button(GapAction.PROCEDURE, B_PROCEDURE),
    "quiz button": _button(GapAction.QUIZ, B),
    "home": _home,
    "export": _typed("export"),
    "round": _typed(f"round {B}"),
}
REFUSED_AS_NOT_OVERSEEN = ("department", "department button", "quiz button", "round")
EMPTY_DRILL = {"procedure": B_PROCEDURE, "clause": B_CLAUSE, "procedure button": B_PROCEDURE}
# Both cells are 0 of 3; which grade that earns is the model's business (tests/bot/domain), not
# this test's: here only who gets to read it matters.
A_GAP, B_GAP = f"*{A} × EP-03*: likely *", f"*{B} × {B_PROCEDURE}*: likely *"
MANAGER_SEES_A = {"summary": A_GAP, "home": A_GAP, "export": f"procedure,{A},EP-03,"}
ADMIN_SEES_B = {
    "summary": B_GAP,
    "department": f"*{B_PROCEDURE}*: likely *",
    "procedure": f"*{B}*: likely *",
    "clause": f"*{B}*: likely *",
    "department button": f"*{B_PROCEDURE}*: likely *",
    "procedure button": f"*{B}*: likely *",
    "quiz button": f"Round to {B}: 3 question(s) sent.",
    "home": B_GAP,
    "export": f"procedure,{B},{B_PROCEDURE},",
    "round": f"Round to {B}: 3 question(s) sent.",
}


def _watch(e2e: E2E, user: SandboxUser, action: Action) -> Seen:
    """Do `action` as `user` and collect what reached them, and only them, because of it."""
    posts, uploads = len(e2e.posts_to(user)), len(e2e.sandbox.uploads())
    publishes = len(e2e.sandbox.calls_to("views.publish"))
    replies = len(e2e.replies_to(user))
    response = action(e2e, user)
    assert response.status_code == 200, response.text
    e2e.settle()
    # A command's answer comes after its empty ack, as an ephemeral message.
    private = [str(c.params.get("text") or "") for c in e2e.replies_to(user)[replies:]]
    seen = Seen(ack=" ".join(t for t in (ack_text(response), *private) if t))
    seen.messages = [message_text(c) for c in e2e.posts_to(user)[posts:]]
    if len(e2e.sandbox.calls_to("views.publish")) > publishes:
        seen.home = json.dumps(e2e.sandbox.home_view(user.id), ensure_ascii=False)
    dm = e2e.sandbox.dm_channel(user.id)
    for upload in e2e.sandbox.uploads()[uploads:]:
        assert upload["channel_id"] == dm, upload["filename"]
        seen.files[upload["filename"]] = upload["content"].decode("utf-8")
    return seen


def _questions_sent_to(e2e: E2E, people: tuple[SandboxUser, ...]) -> int:
    with e2e.session() as session:
        statement = (
            select(func.count())
            .select_from(models.Delivery)
            .join(models.Person)
            .where(models.Person.slack_id.in_([u.id for u in people]))
        )
        return int(session.scalar(statement) or 0)


@pytest.fixture
def world(e2e: E2E, enrol: Enrol, plant: Callable[[Plan], None]) -> E2E:
    enrol([NEW_IN_A, ANOTHER_IN_A, NEW_IN_B], [
        roster_row(NEW_IN_A, A), roster_row(ANOTHER_IN_A, A), roster_row(NEW_IN_B, B)
    ])  # fmt: skip
    plant(PLAN)
    return e2e


@pytest.mark.parametrize("path", PATHS)
def test_each_role_gets_only_what_it_may_see(world: E2E, path: str) -> None:
    action, sent_to_b = PATHS[path], _questions_sent_to(world, B_PEOPLE)

    _check_staff(path, _watch(world, TOMASZ, action))
    _check_manager(path, _watch(world, GRACE, action))
    assert _questions_sent_to(world, B_PEOPLE) == sent_to_b  # no round reached B either
    _check_admin(path, _watch(world, HELEN, action))

    rounds = 1 if path in ("quiz button", "round") else 0
    assert _questions_sent_to(world, B_PEOPLE) == sent_to_b + rounds * len(B_PEOPLE)


def _check_staff(path: str, seen: Seen) -> None:
    """Tomasz is refused without a hint of any data; his Home tab holds his own results."""
    if path == "home":
        assert "You have answered *1* questions, *0%* correctly." in seen.home
        assert "Your departments" not in seen.home
    else:
        assert [text for text in (seen.ack, *seen.messages) if text] == [NOT_ALLOWED], seen
        assert seen.home == ""
    assert seen.files == {}
    for department in (A, B, "Quality"):
        assert department not in seen.everything(), (department, seen)


def _check_manager(path: str, seen: Seen) -> None:
    """Grace gets her own department where it applies, and no B marker except her own words."""
    everything = seen.everything()
    if path in REFUSED_AS_NOT_OVERSEEN:
        refusal = cannot_show(B) if path.startswith("department") else no_such_department(B)
        assert refusal in (seen.ack, *seen.messages), seen
        everything = everything.replace(refusal, "")
    if path in EMPTY_DRILL:
        typed = EMPTY_DRILL[path]
        (drill,) = seen.messages
        assert f"_No answers for {typed} in what you may see._" in drill
        everything = everything.replace(typed, "")
    if path in MANAGER_SEES_A:
        assert MANAGER_SEES_A[path] in everything, seen
    for marker in B_MARKERS:
        assert marker not in everything, (marker, seen)


def _check_admin(path: str, seen: Seen) -> None:
    """Helen gets department B's figures, or her round to it, on every path."""
    everything = seen.everything()
    assert NOT_ALLOWED not in everything
    assert ADMIN_SEES_B[path] in everything, seen
    if path == "export":
        assert sorted(seen.files) == ["awareness-2026-11-02.csv", "awareness-2026-11-02.html"]
        for content in seen.files.values():
            assert B in content and A in content


def test_the_command_line_reports_every_department_with_admin_rights(
    world: E2E, cli: Callable[..., str]
) -> None:
    document = json.loads(cli("report", "--format", "json"))

    assert document["scope"] == {"departments": None}
    cells = {(c["department"], c["procedure"]): c["grade"] for c in document["procedures"]}
    assert set(cells) == {(A, "EP-03"), (B, B_PROCEDURE)}
    assert set(cells.values()) <= {"observation", "minor", "major"}
    only_a = json.loads(cli("report", "--format", "json", "--department", A))
    assert [c["department"] for c in only_a["procedures"]] == [A]
    evidence = cli("evidence", "--format", "csv").splitlines()
    assert len(evidence) == 1 + 6
