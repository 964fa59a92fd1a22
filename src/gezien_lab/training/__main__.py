"""`python -m gezien_lab.training`: fit the learned layer's heads (see the package's docstring)."""

import sys

from gezien_lab.training.pipeline import main

sys.exit(main())
