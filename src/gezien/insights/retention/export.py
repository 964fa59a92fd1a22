"""The retention list as CSV rows (the desk page and the API give the same file)."""

from __future__ import annotations

from typing import Any

from gezien.insights.retention.selectors import RiskRow


def risk_csv_rows(rows: list[RiskRow]) -> list[list[Any]]:
    return [
        [
            r.risk.customer_id,
            r.risk.customer.full_name,
            r.risk.customer.customer_number,
            r.risk.level,
            round(r.risk.score, 3),
            " | ".join(reason["text"] for reason in r.risk.reasons),
            r.risk.last_contact_at.isoformat() if r.risk.last_contact_at else "",
            r.risk.open_matters,
            r.follow_up.at.isoformat() if r.follow_up else "",
            r.follow_up.get_outcome_display() if r.follow_up else "",
            r.follow_up.note if r.follow_up else "",
        ]
        for r in rows
    ]


RISK_CSV_HEADER = [
    "customer_id", "naam", "klantnummer", "niveau", "score", "redenen", "laatste_contact",
    "open_kwesties", "opgevolgd_op", "uitkomst", "notitie",
]  # fmt: skip
