"""Pure domain rules: no I/O, no Slack, no database."""
