"""Benchmarks run by hand (not by pytest); figures and commands are in docs/PERFORMANCE.md."""
