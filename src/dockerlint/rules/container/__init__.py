"""Rules on containers (Compose services, docker run lines), on by default."""
