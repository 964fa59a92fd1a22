"""Notifications: something a person should know, written by any feature. Each feature registers
its kinds (`kinds.kind_register`); the kind is a plain column, so a new kind needs no migration here."""
