"""The reader's widgets: topics, source tabs and view, claim panel, status lines."""
