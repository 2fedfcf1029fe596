"""Reminders a person sets for themselves or others (/erinnere)."""
