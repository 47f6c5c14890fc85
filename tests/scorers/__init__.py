"""Tests of mtqa.scorers: the e5-qe scorer and the transformers scorers (hf-regression, nmt-forced)."""
