"""Parsers: the only code that knows raw syntax. Each turns a source file into models."""
