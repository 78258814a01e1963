#!/usr/bin/env python3
"""The layout rules ARCHITECTURE.md states, checked: no Rust source file over 800 lines, and no
module that imports a module importing it back.

A module's imports are the paths it names into other modules of its crate: `crate::a::b`,
`super::x`, `self::y`, and `child::item` for a module declared under it. Each crate's graph of
modules must be acyclic (a cycle is reported with the paths that make each edge). Comments are
ignored; test modules count like others.

Usage: python3 scripts/check/layout.py [ROOT]; exit 1 when a rule is broken.
"""

import os
import re
import sys

MAX_LINES = 800


def crates(root):
    for dirpath, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in ("target", ".git", "node_modules")]
        if "Cargo.toml" in files and os.path.isdir(os.path.join(dirpath, "src")):
            yield os.path.join(dirpath, "src")


def module_of(src, path):
    parts = os.path.relpath(path, src)[:-3].split(os.sep)
    if parts[-1] == "mod":
        parts = parts[:-1]
    if parts in (["lib"], ["main"]):
        return ()
    return tuple(parts)


def imports(module, text, modules):
    """The modules `module` names, each with one path that names it."""
    text = re.sub(r"//[^\n]*", "", text)
    found = {}
    # `use super::{a, b}` names the parent itself (its items), as `super::a` would.
    for path in re.findall(r"\b((?:crate|super|self)(?:::\w+)*)::\{", text):
        parts = path.split("::")
        if parts[0] == "crate":
            target = ()
            for part in parts[1:]:
                if target + (part,) not in modules:
                    break
                target += (part,)
        else:
            target = module
            for part in parts:
                if part == "super":
                    target = target[:-1]
                elif part != "self" and target + (part,) in modules:
                    target += (part,)
        if target != module:
            found.setdefault(target, path + "::{…}")
    for path in re.findall(r"\b((?:crate|super|self)(?:::\w+)+)", text):
        parts = path.split("::")
        if parts[0] == "crate":
            base, rest = (), parts[1:]
        else:
            base = module
            while parts and parts[0] == "super":
                base, parts = base[:-1], parts[1:]
            rest = [p for p in parts if p != "self"]
        target = base
        for part in rest:
            if target + (part,) not in modules:
                break
            target += (part,)
        if target != module:
            found.setdefault(target, path)
    for child in re.findall(r"(?<![:\w])(\w+)::", text):
        if module + (child,) in modules:
            found.setdefault(module + (child,), f"{child}::")
    return found


def cycles(edges):
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(component)

    sys.setrecursionlimit(10_000)
    for v in list(edges):
        if v not in index:
            visit(v)
    return out


def name(module):
    return "::".join(module) or "crate root"


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    problems = []
    for src in sorted(crates(root)):
        files = [os.path.join(d, f) for d, _, fs in os.walk(src) for f in fs if f.endswith(".rs")]
        for path in files:
            with open(path, encoding="utf-8") as file:
                lines = sum(1 for _ in file)
            if lines > MAX_LINES:
                problems.append(f"{os.path.relpath(path, root)}: {lines} lines (at most {MAX_LINES})")
        modules = {module_of(src, f): f for f in files}
        edges, why = {}, {}
        for module, path in modules.items():
            with open(path, encoding="utf-8") as file:
                found = imports(module, file.read(), modules)
            edges[module] = set(found)
            for target, example in found.items():
                why[(module, target)] = example
        for component in cycles(edges):
            members = set(component)
            detail = "; ".join(
                f"{name(a)} -> {name(b)} (`{why[(a, b)]}`)" for a in component for b in edges[a] if b in members
            )
            problems.append(f"{os.path.relpath(src, root)}: import cycle: {detail}")
    for problem in problems:
        print(problem)
    if problems:
        return 1
    print(f"layout: no file over {MAX_LINES} lines, no import cycle")
    return 0


if __name__ == "__main__":
    sys.exit(main())
