"""`python -m tools.qe STAGE ...` (from the repository root): the QE training's command line."""

from tools.qe.cli import main

main()
