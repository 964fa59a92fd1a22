"""Shared fixtures of the analysis tests: an organisation lexicon of made-up words, so that tests of
the mechanics do not depend on the shipped lexicons' contents."""

from __future__ import annotations

from pathlib import Path

import pytest

ORG_LEXICON = """\
# source: test
# licence: test
zorblax\tanger\t0.6
blimfrop\tsatisfaction\t0.8
grootvee * kwijt\tsadness\t0.9
<num> keer gefloept\trepeat\t0.8
voor de <ord> floep\trepeat\t0.9
knarsbedrijf*\tabuse\t0.7
wubbel\tchurn\t0.0
"""


@pytest.fixture(scope="session")
def lexicons(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("lexicons")
    (root / "nl").mkdir()
    (root / "nl" / "test.tsv").write_text(ORG_LEXICON, encoding="utf-8")
    return root
