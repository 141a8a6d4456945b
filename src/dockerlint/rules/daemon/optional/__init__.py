"""Rules on the Docker daemon, off by default."""
