"""The analysis library's configuration, built from the environment for the processes that run it
outside the desk (`gezien analyse`, `gezien analysis eval`, `python -m gezien_lab.*`), with the same
variables and defaults as the desk's settings: GEZIEN_LEXICON_DIRS (folders separated by ':'), our own
name and products when set (GEZIEN_ORGANISATION_NAME, GEZIEN_OWN_PRODUCTS: a switch to them is no churn), and
the heads `gezien analysis train` wrote to GEZIEN_MODEL_DIR (default GEZIEN_DATA_DIR/heads, where
GEZIEN_DATA_DIR defaults to ./var). The desk itself builds its configuration from the settings
(`gezien.contacts.analysing`)."""

from __future__ import annotations

from pathlib import Path

from gezien.analysis.config import AnalysisConfig
from gezien.analysis.model import refitted_heads
from gezien.config.env import env_list, env_paths, env_str


def analysis_config_from_env(model: bool = False, *, desk_heads: bool = True) -> AnalysisConfig:
    """`desk_heads`: without GEZIEN_MODEL_DIR, use the heads refitted where the desk keeps them
    (GEZIEN_DATA_DIR/heads), as `gezien analyse` and `gezien analysis eval` do; False: the shipped
    heads unless GEZIEN_MODEL_DIR names others (`make analysis-eval` documents the shipped ones)."""
    heads: Path | None = None
    if env_str("GEZIEN_MODEL_DIR"):
        heads = Path(env_str("GEZIEN_MODEL_DIR")).resolve()
    elif desk_heads:
        heads = (Path(env_str("GEZIEN_DATA_DIR") or Path.cwd() / "var") / "heads").resolve()
    own = [env_str("GEZIEN_ORGANISATION_NAME"), *env_list("GEZIEN_OWN_PRODUCTS", [])]
    return AnalysisConfig(
        model=model,
        lexicon_dirs=env_paths("GEZIEN_LEXICON_DIRS"),
        heads_dir=refitted_heads(heads),
        own_names=tuple(name for name in own if name),
    )
