"""Helpers shared by rule groups."""
