"""The pure-Python core: model, loading, anchoring, search and export. Never imports Textual."""
