"""The reader in a browser: a textual-serve server with an offline page and an Origin check.

Nothing here is imported by the terminal reader; `briefing serve` imports `server` only when
it runs, so the other commands work without the `web` extra.
"""
