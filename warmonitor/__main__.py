"""``python -m warmonitor``: the command line, as the ``warmonitor`` command."""

import sys

from warmonitor.cli import main

sys.exit(main())
