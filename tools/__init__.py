"""Development tools (not installed with mtqa): the QE training (`qe/`) and the alignment dev set."""
