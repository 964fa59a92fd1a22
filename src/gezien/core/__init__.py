"""The core ring: plumbing every feature may use and that names no feature (errors, time bounds,
progress, the work calendar, periods, the periodic tick, CSV export, the stale-mark queue, the SQLite
backend).

Nothing in `gezien.core` imports another gezien package; see docs/architecture.md."""
