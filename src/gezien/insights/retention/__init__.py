"""Churn risk per customer (R18) with a retention list, and the weekly digest for departments."""
