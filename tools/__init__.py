"""Development tools (not installed with mtqa): the QE training (`qe/`), the document estimate's fit and
the alignment dev set. They import mtqa; nothing in mtqa imports them."""
