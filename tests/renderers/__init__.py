"""Tests of mtqa.renderers: the renderer registry and each report format (text, JSON, SARIF, JUnit, HTML)."""
