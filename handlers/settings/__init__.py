"""Per-AG and per-person settings, including the language."""
