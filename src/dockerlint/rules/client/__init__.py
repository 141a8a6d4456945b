"""Rules on the Docker client environment (DOCKER_HOST...), on by default."""
