"""No import placed inside a function to hide a cycle: a module says what it needs at its top. Only the
wiring in AppConfig.ready(), the command line (Django is set up first) and optional heavy layers (the
analysis library's learned layer, the lab's training code) may import late."""

from __future__ import annotations

import ast
from pathlib import Path

import gezien

SRC = Path(gezien.__file__).parent
MAY_IMPORT_LATE = {
    "analysis/__init__.py",  # the learned layer is optional (numpy, the model's heads)
    "analysis/model.py",
    "contacts/training.py",  # gezien_lab and scikit-learn are optional
}


def _late_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for fn in ast.walk(tree):
        if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(fn):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(("gezien", "gezien_lab")):
                found.append(f"{path.relative_to(SRC)}:{node.lineno} {node.module}")
    return found


def test_no_module_imports_a_gezien_module_inside_a_function():
    late = [
        hit
        for path in sorted(SRC.rglob("*.py"))
        if "migrations" not in path.parts
        and path.name != "apps.py"
        and str(path.relative_to(SRC)) not in MAY_IMPORT_LATE
        and path.parent.name != "cli"  # each command sets Django up before it imports the apps
        for hit in _late_imports(path)
    ]
    assert late == []
