#!/usr/bin/env python
"""The QE training's former command line, kept: `python tools/train_qe.py STAGE ...` is
`python -m tools.qe STAGE ...` (tools/qe/, one module per stage)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools.qe.cli import main  # noqa: E402

if __name__ == "__main__":
    main()
