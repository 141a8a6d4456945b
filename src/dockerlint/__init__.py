"""dockerlint: a static security linter for everything that decides how Docker runs."""

__version__ = "0.2.0"
