"""Tests of mtqa.encoders: the USE encoder's one-pass overlaps and the static USE table."""
