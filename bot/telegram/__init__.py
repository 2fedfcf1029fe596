"""The Telegram adapter: python-telegram-bot inside the bot's own asyncio loop."""
