"""The house: one-way layers. Records and labels at the bottom, then the model machinery (learning/),
the taggers, the pipeline, the store, import/export, and on top the command line, the dashboard and the
evaluation scripts. An import loop, or a library module reaching up to the pipeline or the evaluation
scripts, fails here with the modules named."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "annotator"
# The modules that may run the whole pipeline: the command line, the dashboard, the evaluation scripts,
# and the package's own convenience import (`from annotator import annotate_text`).
ABOVE_PIPELINE = ("annotator", "annotator.cli", "annotator.pipeline", "annotator.dashboard",
                  "annotator.evaluation")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in ROOT.rglob("*.py") if "migrations" not in p.parts}


def imports_of(name: str) -> set[str]:
    """Every annotator module `name` imports, at the top or inside a function (a deferred import is
    still a dependency: it only hides the loop until the function runs)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("annotator")}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1]
                                + ([base] if base else []))
            if not base.startswith("annotator"):
                continue
            for alias in node.names:
                out.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
    return {m for m in out if m in MODULES and m != name}


GRAPH = {name: imports_of(name) for name in MODULES}


def _cycles() -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    return found


def _is_in(name: str, packages: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


def test_the_checker_sees_deferred_and_relative_imports():
    # the framing tagger reads its heads' features from learning/, training reads the corpora
    assert "annotator.learning.features" in GRAPH["annotator.taggers.framing"]
    assert "annotator.learning.corpora" in GRAPH["annotator.learning.training"]
    assert "annotator.pipeline" in GRAPH["annotator.cli"]  # imported inside a function


def test_no_import_loop():
    assert _cycles() == []


@pytest.mark.parametrize("forbidden", ["annotator.pipeline", "annotator.evaluation"])
def test_library_modules_do_not_import_the_pipeline_or_the_evaluation_scripts(forbidden):
    offenders = {name: sorted(m for m in deps if _is_in(m, (forbidden,)))
                 for name, deps in GRAPH.items() if not _is_in(name, ABOVE_PIPELINE)}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_learning_does_not_import_the_taggers_or_the_store():
    offenders = {name: sorted(m for m in deps if _is_in(m, ("annotator.taggers", "annotator.store",
                                                           "annotator.exchange", "annotator.dashboard")))
                 for name, deps in GRAPH.items() if _is_in(name, ("annotator.learning",))}
    assert {k: v for k, v in offenders.items() if v} == {}
