#!/usr/bin/env python3
"""The README's per-language examples, checked: every ```python block that follows the marker
`<!-- ci: run -->` is run with python3 from the repository root (the zhengwu package installed),
and one that follows `<!-- ci: run on a province -->` beside a small province's year written by
scripts/scale/province.py (`province/catalogue.toml`, `province/events/city=…/part-0.parquet`);
the ```kotlin block that follows `<!-- ci: examples/kotlin/Main.kt -->` and the ```java block that
follows `<!-- ci: examples/java/Main.java -->` must be, line for line, the region of that program
between `// README example begins` and `// README example ends` (both programs are compiled and
run by scripts/bindings/uniffi_check.sh).

    python3 scripts/bindings/readme_examples.py
"""

from __future__ import annotations

import pathlib
import re
import subprocess
import sys
import tempfile
import textwrap

ROOT = pathlib.Path(__file__).resolve().parents[2]
BLOCK = re.compile(r"<!-- ci: (?P<what>[^>]+?) -->\s*```(?P<language>\w+)\n(?P<code>.*?)```", re.S)


PROGRAMS = {"kotlin": "examples/kotlin/Main.kt", "java": "examples/java/Main.java"}


def region(path: str) -> str:
    text = (ROOT / path).read_text(encoding="utf-8")
    match = re.search(r"// README example begins\n(.*?)\n\s*// README example ends", text, re.S)
    if match is None:
        sys.exit(f"{path} has no README example region")
    return textwrap.dedent(match.group(1)).strip()


def main() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = list(BLOCK.finditer(readme))
    failures = 0
    ran = {"python": 0, "kotlin": 0, "java": 0}
    for block in blocks:
        what, language, code = block["what"], block["language"], textwrap.dedent(block["code"])
        if what in ("run", "run on a province") and language == "python":
            with tempfile.TemporaryDirectory() as folder:
                cwd = ROOT
                if what == "run on a province":
                    # The Dask recipe: a small province's year written where it looks
                    # (`province/`), and the code run as a script runs Dask, under a main guard
                    # (its worker processes import the script).
                    cwd = pathlib.Path(folder)
                    subprocess.run([sys.executable, str(ROOT / "scripts/scale/province.py"), "--events", "100000",
                                    "--write", str(cwd / "province")], check=True, capture_output=True)
                    code = "if __name__ == \"__main__\":\n" + textwrap.indent(code, "    ")
                script = pathlib.Path(folder) / "example.py"
                script.write_text(code, encoding="utf-8")
                done = subprocess.run([sys.executable, str(script)], cwd=cwd, capture_output=True, text=True)
            if done.returncode != 0:
                print(f"FAIL the README's Python example:\n{done.stdout}{done.stderr}")
                failures += 1
            else:
                print(done.stdout, end="")
            ran["python"] += 1
        elif PROGRAMS.get(language) == what:
            if code.strip() != region(what):
                print(f"FAIL the README's {language} example is not the region of {what}")
                failures += 1
            ran[language] += 1
        else:
            print(f"FAIL unknown marker `{what}` on a {language} block")
            failures += 1
    if 0 in ran.values():
        print(f"FAIL expected a Python, a Kotlin and a Java example in README.md, found {ran}")
        failures += 1
    if failures:
        sys.exit(1)
    print(
        f"README examples: {ran['python']} Python run, {ran['kotlin']} Kotlin and {ran['java']} Java matching "
        "their programs"
    )


if __name__ == "__main__":
    main()
