"""Rules on containers, off by default."""
