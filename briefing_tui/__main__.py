"""Run as `python -m briefing_tui`."""

from briefing_tui.cli import main

raise SystemExit(main())
