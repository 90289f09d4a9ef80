"""briefing: a terminal reader for multi-source briefings."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("briefing-tui")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.0.0+local"
