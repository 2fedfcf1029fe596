"""The reminder engine: outbox rows in the database, a dispatcher, APScheduler wake-ups.

For now it holds the notifier interface the adapters implement, so that
reminders can be sent without knowing which messenger carries them.
"""
