"""The audit log (issue 17): an append-only record of who read or changed what, from where, with a hash
chain that shows a changed or removed entry. The lowest ring beside `core`: it imports only `core` and
Django, so every app may write to it (docs/decisions/0013-audit-log.md)."""
