"""`python -m gezien_lab.evaluation --dev-report` (`make analysis-eval`): the evaluation harness."""

import sys

from gezien.config.analysis import analysis_config_from_env
from gezien_lab.evaluation.cli import main

sys.exit(main(config=analysis_config_from_env(desk_heads=False)))
