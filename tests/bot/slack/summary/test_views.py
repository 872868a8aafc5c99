from __future__ import annotations

from bot.services.access import Scope
from bot.services.summary.counts import AwarenessCounts, AwarenessSummary, Tally
from bot.slack.summary.views import awareness_message


def test_the_notification_text_escapes_department_names() -> None:
    # Issue 12, F12: a department named like a Slack mention must not ping from the preview.
    tally = Tally(("x",), 1, 1, 1, 1, 1)
    counts = AwarenessCounts(tally, [tally], [tally], [])
    summary = AwarenessSummary(Scope(["<!channel>"], False), counts, None)
    message = awareness_message(summary)
    assert message["text"] == "Awareness summary for &lt;!channel&gt;"
