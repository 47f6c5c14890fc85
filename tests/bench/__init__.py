"""Tests of bench/ (the pure parts of the benchmark scripts)."""
