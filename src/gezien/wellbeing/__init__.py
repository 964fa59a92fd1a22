"""Agents' wellbeing (R17): breaks, time on the queue, emotional load and protection after heavy contacts."""
