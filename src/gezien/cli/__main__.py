"""`python -m gezien.cli ...`, the same as the `gezien` command."""

import sys

from gezien.cli import main

sys.exit(main())
