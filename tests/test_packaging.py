"""The wheel ships every subpackage and the bundled library (pyproject lists them by hand)."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
    "setuptools"
]


def test_every_python_package_is_listed() -> None:
    on_disk = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "briefing_tui").rglob("__init__.py")
    }
    assert on_disk <= set(SETUPTOOLS["packages"])


def test_the_bundled_library_is_mapped_into_the_package() -> None:
    mapped = SETUPTOOLS["package-dir"]
    assert mapped["briefing_tui.bundled.seeds"] == "seeds"
    assert mapped["briefing_tui.bundled.briefs"] == "briefs"
    assert any((ROOT / "seeds").glob("*.txt"))
    assert any((ROOT / "briefs").glob("*.yaml"))
