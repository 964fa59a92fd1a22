"""What an analyser is built from, decided at the edge: the desk's settings or a command's arguments.

The library itself never reads the environment: the Django side builds an `AnalysisConfig` from its
settings (`gezien.contacts.analysing`), `gezien analyse` and `gezien analysis eval` from their
arguments and environment (`gezien.cli`), a script or a test directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class AnalysisConfig:
    """`model`: add the learned layer (the extra `gezien[models]`). `lexicon_dirs`: an organisation's
    own lexicon folders on top of the shipped ones, later ones overriding earlier ones. `heads_dir`:
    refitted heads (`gezien analysis train`) instead of the shipped ones. `own_names`: the organisation's own
    name and its products and plans ("Voorbeeld Telecom", "Internet Start"): switching to one of them is
    not churn (a prospect, a plan change)."""

    model: bool = False
    lexicon_dirs: tuple[Path, ...] = field(default=())
    heads_dir: Path | None = None
    own_names: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "lexicon_dirs", tuple(Path(d) for d in self.lexicon_dirs))
        object.__setattr__(self, "own_names", tuple(n.strip() for n in self.own_names if n.strip()))
        if self.heads_dir is not None:
            object.__setattr__(self, "heads_dir", Path(self.heads_dir))
