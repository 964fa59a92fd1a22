"""`python -m gezien_lab.training`: fit the learned layer's heads (see the package's docstring)."""

import sys

from gezien.config.analysis import analysis_config_from_env
from gezien_lab.training.pipeline import main

sys.exit(main(lexicon_dirs=analysis_config_from_env().lexicon_dirs))
