"""The core never imports Textual, and no two modules of the package import each other."""

from __future__ import annotations

import ast
import os
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


def test_the_front_door_loads_no_textual_before_the_reader_runs() -> None:
    # The reader sets Textual's frame rate (read.FRAMES_PER_SECOND) before importing it.
    code = (
        "import sys, briefing_tui.cli, briefing_tui.commands.read\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_no_module_imports_one_that_imports_it_back() -> None:
    files = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph = {name: {m for m in imported(path) if m in files} for name, path in files.items()}
    cycles: list[list[str]] = []

    def visit(name: str, trail: list[str]) -> None:
        for target in sorted(graph[name]):
            if target in trail:
                cycles.append(trail[trail.index(target) :] + [target])
            elif target not in done:
                visit(target, [*trail, target])
        done.add(name)

    done: set[str] = set()
    for name in sorted(graph):
        if name not in done:
            visit(name, [name])
    # A package's __init__ naming its own modules is not a cycle worth reporting.
    nested = [c for c in cycles if any(b.startswith(a + ".") for a in c for b in c)]
    assert [c for c in cycles if c not in nested] == []


def test_the_core_offers_each_public_name_from_its_module() -> None:
    import briefing_tui.core as core

    assert sorted(core.__all__) == sorted(core._HOME_OF)
    assert all(getattr(core, name) is not None for name in core.__all__)


def test_a_reader_opened_from_the_library_cache_imports_no_yaml_or_anchoring(
    tmp_path: Path,
) -> None:
    # Those imports were a tenth of the reader's start-up; an unchanged library needs none.
    code = (
        "import sys\n"
        "from briefing_tui.core.library.cache import keep, open_reader\n"
        "from briefing_tui.core.library.loader import locate_library\n"
        "reader = open_reader(locate_library(None))\n"
        "reading = reader.read()\n"
        "if sys.argv[1] == 'first':\n"
        "    keep(reader)\n"
        "else:\n"
        "    import briefing_tui.ui.app\n"
        "    assert reading.files_read == 0 and reading.library.briefs\n"
        "lazy = ('yaml', 'briefing_tui.core.library.anchor', 'briefing_tui.core.library.briefs',"
        " 'briefing_tui.core.citations')\n"
        "print(sorted(m for m in lazy if m in sys.modules))"
    )
    env = {**os.environ, "BRIEFING_CACHE_DIR": str(tmp_path)}
    runs = [
        subprocess.run(
            [sys.executable, "-c", code, run], capture_output=True, text=True, check=True, env=env
        ).stdout.strip()
        for run in ("first", "again")
    ]
    assert runs[0] != "[]"  # the first run read the files, and so parsed and anchored
    assert runs[1] == "[]"
