"""Privacy (GDPR): a customer's data exported on a subject-access request, erased on request (with an
optional second approver), old contacts anonymised after the retention period, and parts of a message
redacted by an agent. docs/privacy.md says how a privacy officer uses it."""
