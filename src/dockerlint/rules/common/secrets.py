"""The shared credential model, as rules import it: :mod:`dockerlint.knowledge.secrets`.

It lives in the knowledge layer so that ``dockerlint inspect`` (the CLI, which may not import
rule code) masks exactly what DF102, DC117, DF114 and DF117 mask.
"""

from __future__ import annotations

from dockerlint.knowledge.secrets import (
    USABLE,
    SecretName,
    Verdict,
    assess,
    name_words,
    secret_name,
    throwaway_service,
    url_passwords,
    usable,
    value_shape,
)

__all__ = ["USABLE", "SecretName", "Verdict", "assess", "name_words", "secret_name", "throwaway_service",
           "url_passwords", "usable", "value_shape"]
