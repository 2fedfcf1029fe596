"""Commands about the conversation itself: help, confirmations, paging of long replies, files."""
