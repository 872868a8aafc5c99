from __future__ import annotations

from bot.services.access import Scope
from bot.services.summary.counts import AwarenessCounts, AwarenessSummary, RevisionSplit, Tally
from bot.slack.summary.views import awareness_message


def test_the_notification_text_escapes_department_names() -> None:
    # Issue 12, F12: a department named like a Slack mention must not ping from the preview.
    tally = Tally(("x",), 1, 1, 1, 1, 1)
    counts = AwarenessCounts(tally, [tally], [tally], [])
    summary = AwarenessSummary(Scope(["<!channel>"], False), counts, None)
    message = awareness_message(summary)
    assert message["text"] == "Awareness summary for &lt;!channel&gt;"


def test_each_procedure_line_shows_the_current_revision_beside_earlier_ones() -> None:
    tally = Tally(("QP-08",), 3, 3, 5, 5, 3)
    split = RevisionSplit("", "QP-08", "<4>", 2, 1, 3, 2)
    counts = AwarenessCounts(tally, [tally], [tally], [], revisions={"QP-08": split})
    message = awareness_message(AwarenessSummary(Scope(None, True), counts, None))
    by_procedure = message["blocks"][-1]["text"]["text"]
    assert by_procedure.splitlines()[1:] == [
        "• *QP-08*: 60% correct (3/5), participation 100%, 3 reached",
        "    rev &lt;4&gt; (current): 50% (1/2; 95% 9–91%) · "
        "earlier revisions: 67% (2/3; 95% 21–94%)",
    ]


def test_a_procedure_without_revision_rows_says_so() -> None:
    tally = Tally(("QP-08",), 1, 1, 1, 1, 1)
    counts = AwarenessCounts(tally, [tally], [tally], [])
    message = awareness_message(AwarenessSummary(Scope(None, True), counts, None))
    assert message["blocks"][-1]["text"]["text"].endswith(
        "rev – (current): no answers · earlier revisions: no answers"
    )
