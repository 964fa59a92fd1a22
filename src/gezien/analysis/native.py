"""The rules layer compiled: the same modules built by mypyc, used only while they match their source.

`make analysis-native` (scripts/build_native.py) compiles `MODULES` with mypyc into `_native/` beside
this file: one C extension per module plus their shared library, and `sources.json` with the sha256 of
each module's source and the interpreter they were built for. Importing `gezien.analysis` puts that
folder first on the package's search path only when every hash still matches the `.py` beside it and the
interpreter is the same; otherwise (no build, a module edited since, another Python) the plain Python
modules load, with the same results, slower. So an edit never runs stale compiled code, and a tree
without a C compiler works as before.

This module stays plain Python (it decides what the others are) and reads no environment.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import MutableSequence
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

HERE = Path(__file__).resolve().parent
FOLDER = HERE / "_native"
MANIFEST = "sources.json"
# The hot path of `RuleEngine.analyze`, in import order (each imports only those before it).
MODULES = ("result", "register", "lexicon", "text", "typos", "cues", "sarcasm", "churn", "scoring", "engine")
GROUP = "gezien.analysis.rules"  # the shared library's module name: gezien/analysis/rules__mypyc.*.so


def interpreter() -> str:
    """The extension suffix the build is for (Python version, ABI and platform)."""
    return EXTENSION_SUFFIXES[0]


def manifest(root: Path = HERE) -> dict[str, object]:
    """What a build of the modules in `root` is for: the interpreter and each source's sha256."""
    return {
        "python": interpreter(),
        "sources": {m: hashlib.sha256((root / f"{m}.py").read_bytes()).hexdigest() for m in MODULES},
    }


def usable(folder: Path = FOLDER, root: Path = HERE) -> bool:
    """Whether `folder` holds a build of exactly the sources in `root` for this interpreter."""
    try:
        built = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(built == manifest(root)) and all(
        (folder / f"{m}{interpreter()}").is_file() for m in (*MODULES, GROUP.rsplit(".", 1)[1] + "__mypyc")
    )


def use(package_path: MutableSequence[str]) -> bool:
    """Put the compiled modules first on `package_path` (gezien.analysis's `__path__`) when usable."""
    if str(FOLDER) in package_path:
        return True
    if not usable():
        return False
    package_path.insert(0, str(FOLDER))
    return True


def compiled() -> bool:
    """Whether the rules layer running in this process is the compiled one."""
    engine = sys.modules.get("gezien.analysis.engine")
    return engine is not None and not str(engine.__file__).endswith(".py")


ACTIVE = use(sys.modules["gezien.analysis"].__path__)
