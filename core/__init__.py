"""Messenger-neutral layer shared by handlers, reminders and adapters.

Nothing in here knows about Telegram, Matrix, the console or the database: it
holds the neutral message types, the command registry, translations, the clock
and the errors a handler raises to refuse something.
"""
