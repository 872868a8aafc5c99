"""Procedure documents as the company writes them: Markdown, Word and PDF, read into sections."""
