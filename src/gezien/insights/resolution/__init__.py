"""Honest resolution (R14, R19): matters across contacts and channels, naive versus honest figures."""
