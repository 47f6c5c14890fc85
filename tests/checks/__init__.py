"""Tests of mtqa.checks: one file per check family (test_<family>.py), the registry, the context, the
kit."""
