"""Glue code for osc's devcloud (a small local OpenStack)."""
