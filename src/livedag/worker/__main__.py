"""``python -m livedag.worker``: the run worker (see ``livedag.worker.main``)."""

from __future__ import annotations

import sys

from livedag.worker.main import main

if __name__ == "__main__":
    sys.exit(main())
