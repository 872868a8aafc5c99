"""Reports a person reads outside Slack, rendered from plain results.

- `markdown.gap_report_markdown`, `csv_export.gap_report_csv`, `json_export.gap_report_json`,
  `html.gap_report_html`, `heatmap.heatmap_png` and `funnel_plot.funnel_png` render a
  `GapReport`;
- `evidence.write_evidence_csv` writes the clause 7.2 evidence of competence for the auditor.

Import the module you need: the package imports nothing itself, so a Markdown report never
pays for loading matplotlib.
"""
