"""The practice room (issue 19): agents rehearse hard conversations against a simulated customer.

`scenarios.py` holds the five built-in scenarios (in code, so they cannot be broken) and the shape team
leads' own scenarios take; `customer.py` the simulated customer (a deterministic state machine driven by
`gezien.analysis`); `services.py` starts sessions, takes turns, finishes with the five-habit read
(`gezien.coaching.habits.read_conversation`) and keeps assignments; `selectors.py` reads them.
"""
