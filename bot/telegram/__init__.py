"""The Telegram adapter: python-telegram-bot inside the bot's own asyncio loop."""

import os

# Opt in to python-telegram-bot's future behaviour (durations as timedelta), which also
# silences its deprecation warning on every 429; the adapter reads either form.
os.environ.setdefault("PTB_TIMEDELTA", "1")
