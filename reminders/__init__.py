"""The reminder engine: outbox rows in the database, a dispatcher, APScheduler wake-ups.

``notifier`` is the interface the adapters implement; ``render`` turns a row into a
message; ``dispatcher`` claims, sends and records; ``planning`` is the daily job;
``engine`` ties them to APScheduler.
"""
