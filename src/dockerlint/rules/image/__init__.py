"""Rules on Dockerfiles (ImageBuild), on by default."""
