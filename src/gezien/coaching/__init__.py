"""Coaching on the five empathy habits (issue 19): each closed contact's read, the agent's comments and the
team lead's coaching queue. `habits` is the pure read (no Django); the app stores and shows it."""
