"""Automatic fixes: planning, applying and verifying edits (below the engine)."""
