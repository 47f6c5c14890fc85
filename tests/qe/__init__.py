"""Tests of mtqa.qe: the e5 converter, the QE model and its word-level spans."""
