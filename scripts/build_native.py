"""Compile the rules layer with mypyc: `make analysis-native` (needs a C compiler and the dev extra's mypy).

    .venv/bin/python scripts/build_native.py

Builds `gezien.analysis.native.MODULES` into src/gezien/analysis/_native/ (one extension per module and
their shared library, `gezien.analysis.rules__mypyc`) with `sources.json`, the sha256 of each source:
`gezien.analysis` loads the compiled modules only while those still match (see native.py). The C files
and objects are built in a temporary folder; the old build is replaced only once the new one is done.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"


def main() -> int:
    sys.path.insert(0, str(SRC))
    from mypyc.build import mypycify
    from setuptools import setup  # type: ignore[import-untyped]

    from gezien.analysis import native

    before = native.manifest()
    with tempfile.TemporaryDirectory(prefix="gezien-native-") as tmp:
        work = Path(tmp)
        # The analysis modules are pure (no Django): mypy checks them without the project's Django plugin.
        config = work / "mypy.ini"
        config.write_text("[mypy]\nstrict = True\n", encoding="utf-8")
        os.chdir(SRC)  # mypyc names the modules by their paths from here
        paths = [f"gezien/analysis/{m}.py" for m in native.MODULES]
        extensions = mypycify(
            [*paths, "--config-file", str(config), "--cache-dir", str(work / "mypy")],
            opt_level="3",
            group_name=native.GROUP,
            target_dir=str(work / "c"),
        )
        setup(
            name="gezien-analysis-native",
            ext_modules=extensions,
            script_args=[
                "-q",
                "build_ext",
                "--build-lib",
                str(work / "lib"),
                "--build-temp",
                str(work / "tmp"),
            ],
        )
        built = work / "lib" / "gezien" / "analysis"
        if native.manifest() != before:
            print("a source changed while it was being compiled: run again", file=sys.stderr)
            return 1
        # Staged beside the build it replaces, then swapped in: a process importing meanwhile finds
        # either no build (plain Python) or a whole one, and two builds at once both end well.
        staged = Path(tempfile.mkdtemp(prefix="_native.", dir=native.HERE))
        for library in built.glob(f"*{native.interpreter()}"):
            shutil.copy2(library, staged / library.name)
        (staged / native.MANIFEST).write_text(json.dumps(before, indent=1) + "\n", encoding="utf-8")
        shutil.rmtree(native.FOLDER, ignore_errors=True)
        try:
            staged.rename(native.FOLDER)
        except OSError:  # another build put its folder there first
            shutil.rmtree(staged, ignore_errors=True)
    if not native.usable():
        print(f"the build in {native.FOLDER} is not usable (see gezien/analysis/native.py)", file=sys.stderr)
        return 1
    print(f"compiled {', '.join(native.MODULES)} into {native.FOLDER.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
