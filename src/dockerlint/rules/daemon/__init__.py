"""Rules on the Docker daemon (daemon.json, dockerd flags), on by default."""

# Modules of this group that also read models of another kind: {kind: (module, ...)}.
# DD101 reports on the daemon and also reads Compose's Docker-in-Docker services.
ALSO_READS: dict[str, tuple[str, ...]] = {"container": ("dd101",)}
