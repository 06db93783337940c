"""The secrets of invitation links and API tokens: random, shown once, kept only as their hash."""

import hashlib
import secrets

# What lists show of an API token's secret, to tell tokens apart: too little to guess the rest.
PREFIX_LENGTH = 8


def new_token() -> str:
    # 32 random bytes: no one guesses one, so a link alone may prove an address and a token alone
    # may act as its user.
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """What the database keeps of ``token``: enough to find its invitation or API token, not
    to rebuild it."""
    return hashlib.sha256(token.encode()).hexdigest()
