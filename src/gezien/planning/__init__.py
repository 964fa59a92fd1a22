"""Forecast, service-level targets, scheduled agents and the staffing plan (issue 6)."""
