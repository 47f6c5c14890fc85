"""`python -m mtqa.cli`: the same as the `mtqa` console script."""

from mtqa.cli import main

main()
