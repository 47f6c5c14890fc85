"""mtqa: multilingual translation-quality checker. The rooms, stacked as floors (docs/architecture.md):
cli, batch, pipeline, renderers, gate, checks, scorers, align, models, lang, plumbing; imported by users."""

__version__ = "0.1.0"
