"""Persistence: SQLAlchemy 2 models, query functions and Alembic migrations.

Query functions take an ``AsyncSession`` and never commit: the caller (router,
dispatcher) owns the transaction. This package imports nothing of ours.
"""
