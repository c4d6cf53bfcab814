"""``python -m livedag``: the same as the ``livedag`` command."""

from __future__ import annotations

import sys

from livedag.cli import main

sys.exit(main())
