"""Rules on Dockerfiles (ImageBuild), off by default."""
