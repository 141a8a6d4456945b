"""Rules on the Docker daemon (daemon.json, dockerd flags), on by default."""
