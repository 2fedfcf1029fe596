"""AG-Bot test suite."""
