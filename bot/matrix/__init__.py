"""The Matrix adapter: matrix-nio (with end-to-end encryption) in the bot's own loop."""
