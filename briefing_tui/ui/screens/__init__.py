"""Screens pushed over the reader: help, problems and search."""
