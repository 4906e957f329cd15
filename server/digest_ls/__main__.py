"""`python -m digest_ls` runs the command line (`python -m digest_ls serve` starts the server)."""

import sys

from .entry import main

sys.exit(main())
