"""The core never imports Textual: it must run (and be tested) without a terminal UI."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "briefing_tui"
CORE = PACKAGE / "core"


def module_name(path: Path) -> str:
    """The dotted name of a module file of the package."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> set[str]:
    """Every module a file imports, anywhere in it, except under `if TYPE_CHECKING:`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    type_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING")
        for statement in node.body
        for inner in ast.walk(statement)
    }
    names: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_core_sources_do_not_import_textual() -> None:
    offenders = [
        f"{module_name(path)}: {name}"
        for path in sorted(CORE.rglob("*.py"))
        for name in sorted(imported(path))
        if name.split(".")[0] == "textual"
    ]
    assert offenders == []


def test_importing_the_whole_core_loads_no_textual() -> None:
    modules = [module_name(path) for path in sorted(CORE.rglob("*.py"))]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_core_offers_each_public_name_from_its_module() -> None:
    import briefing_tui.core as core

    assert sorted(core.__all__) == sorted(core._HOME_OF)
    assert all(getattr(core, name) is not None for name in core.__all__)
