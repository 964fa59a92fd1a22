"""Service levels: first-response and resolution targets per channel and priority, in opening hours."""
