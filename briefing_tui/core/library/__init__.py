"""The library: files and YAML read safely, quotes anchored, into an immutable model."""
