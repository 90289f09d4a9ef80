"""briefing: a terminal reader for multi-source briefings."""

# The one place the version is written: pyproject.toml reads it at build time, so start-up
# never pays for importlib.metadata.
__version__ = "0.1.0"
