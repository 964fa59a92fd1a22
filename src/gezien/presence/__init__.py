"""Agent states (available, in contact, after-contact work, break, offline) and the live queue (issue 6)."""
