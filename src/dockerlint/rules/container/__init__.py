"""Rules on containers (Compose services, docker run lines), on by default."""

# Modules of this group that also read models of another kind: {kind: (module, ...)}.
ALSO_READS: dict[str, tuple[str, ...]] = {}
