"""The secret of an invitation link: random, sent once, kept only as its hash."""

import hashlib
import secrets


def new_token() -> str:
    # 32 random bytes: no one guesses a link, so the link alone may prove the address.
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """What the database keeps of ``token``: enough to find its invitation, not to rebuild it."""
    return hashlib.sha256(token.encode()).hexdigest()
