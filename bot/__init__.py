"""The auditready application."""
