"""The compiled rules layer (`make analysis-native`, gezien/analysis/native.py): the same analyses as the
plain Python modules, and never a build that no longer matches its sources.

The equality runs both sides in fresh processes over every text of the bench corpus
(`bench/analysis_corpus.jsonl`, 2,000 Dutch and English texts of customers and agents) plus edge cases:
each text as its own role with the language detected, and forced to nl and en as customer and as agent
(10,040 analyses, `Analysis.to_dict()` with the evidence). The plain side is a copy of the package without
the build. Without a build the equality test is skipped, unless GEZIEN_REQUIRE_NATIVE is set (CI builds
it through `make test`, so a failing build fails there).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gezien.analysis import native

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "bench" / "analysis_corpus.jsonl"
EXTRA = [
    "",
    "!!!",
    "Top 👍",
    "Super :) bedankt!",
    "İstanbul, 3e keer gebeld... al 5x!",
    "Geweldig hoor, weer een monteur die niet komt opdagen. Echt top service, bedankt voor niks.",
    "mijn vader is overleeden, abbonement opzegen",
]

DUMP = """
import json, sys
from gezien.analysis import Analyzer, AnalysisConfig, native
analyzer = Analyzer(AnalysisConfig())
out = [native.compiled()]
for text, role in json.load(open(sys.argv[1], encoding="utf-8")):
    out.append(analyzer.analyze(text, role=role).to_dict())
    for lang in ("nl", "en"):
        for as_role in ("customer", "agent"):
            out.append(analyzer.analyze(text, lang=lang, role=as_role).to_dict())
json.dump(out, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False, sort_keys=True)
"""


def _dump(src: Path, texts: Path, out: Path) -> list[object]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    subprocess.run([sys.executable, "-c", DUMP, str(texts), str(out)], env=env, check=True, cwd=src)
    result: list[object] = json.loads(out.read_text(encoding="utf-8"))
    return result


def test_compiled_analyses_equal_plain_ones(tmp_path: Path) -> None:
    if not native.usable():
        if os.environ.get("GEZIEN_REQUIRE_NATIVE"):
            pytest.fail("no usable build of the compiled rules layer: run `make analysis-native`")
        pytest.skip("the compiled rules layer is not built (`make analysis-native`)")
    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = tmp_path / "texts.json"
    items = [[row["text"], row["role"]] for row in rows] + [[t, "customer"] for t in EXTRA]
    texts.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    plain = tmp_path / "plain"
    shutil.copytree(
        native.HERE, plain / "gezien" / "analysis", ignore=shutil.ignore_patterns("_native*", "__pycache__")
    )
    (plain / "gezien" / "__init__.py").write_text("", encoding="utf-8")

    compiled_out = _dump(ROOT / "src", texts, tmp_path / "compiled.json")
    plain_out = _dump(plain, texts, tmp_path / "plain.json")

    assert compiled_out[0] is True and plain_out[0] is False  # each side is what it claims to be
    assert len(compiled_out) == 1 + 5 * len(items)
    assert any(d["evidence"] for d in compiled_out[1:] if isinstance(d, dict))  # the lexicons loaded
    for index, (a, b) in enumerate(zip(compiled_out[1:], plain_out[1:], strict=True)):
        assert a == b, items[index // 5][0]


def _fake_build(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the sources and a folder holding a matching (empty) build of them."""
    root, folder = tmp_path / "src", tmp_path / "build"
    root.mkdir(parents=True)
    folder.mkdir()
    for module in native.MODULES:
        shutil.copy2(native.HERE / f"{module}.py", root / f"{module}.py")
    for name in (*native.MODULES, native.GROUP.rsplit(".", 1)[1] + "__mypyc"):
        (folder / f"{name}{native.interpreter()}").write_bytes(b"")
    (folder / native.MANIFEST).write_text(json.dumps(native.manifest(root)), encoding="utf-8")
    return root, folder


def test_a_build_matching_its_sources_is_used(tmp_path: Path) -> None:
    root, folder = _fake_build(tmp_path)
    assert native.usable(folder, root)


def test_an_edited_source_turns_the_build_off(tmp_path: Path) -> None:
    root, folder = _fake_build(tmp_path)
    scoring = root / "scoring.py"
    scoring.write_text(scoring.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert not native.usable(folder, root)


def test_a_build_for_another_python_or_incomplete_is_not_used(tmp_path: Path) -> None:
    root, folder = _fake_build(tmp_path)
    built = json.loads((folder / native.MANIFEST).read_text(encoding="utf-8"))
    other = {**built, "python": ".cpython-39-x86_64-linux-gnu.so"}
    (folder / native.MANIFEST).write_text(json.dumps(other), encoding="utf-8")
    assert not native.usable(folder, root)
    root, folder = _fake_build(tmp_path / "again")
    (folder / f"engine{native.interpreter()}").unlink()
    assert not native.usable(folder, root)
    (folder / native.MANIFEST).unlink()
    assert not native.usable(folder, root)
