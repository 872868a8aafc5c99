"""The question bank as content: format, validation and the selection policy."""
