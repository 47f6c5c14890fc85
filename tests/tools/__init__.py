"""Tests of tools/ (the training tools beside the package)."""
