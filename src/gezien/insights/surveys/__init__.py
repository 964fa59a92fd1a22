"""Surveys after a closed contact: NPS or CSAT with an optional comment, by a signed expiring link."""
