"""Message text shared by the container rules (docs/messages.md: at most 140 characters)."""

from __future__ import annotations

LIMIT = 140


def fit(message: str, *tails: str, limit: int = LIMIT) -> str:
    """``message`` with each of ``tails`` (a value's origin, a short reason, the fix in a few
    words), in order, that still fits in ``limit`` characters; a tail that does not fit is left
    out (the rule page says it) and the next ones are still tried."""
    for tail in tails:
        if tail and len(message) + len(tail) <= limit:
            message += tail
    return message
