"""Rules on suppression comments (DL), on by default."""
