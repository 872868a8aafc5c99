"""Procedure documents: importing each revision, and following what changed for the bank."""
