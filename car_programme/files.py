"""Where uploaded and generated files are stored.

A stored name never carries what a user typed, so it cannot collide, be guessed or leak a
person's name in a path. Migrations need these to be module-level functions.
"""

import uuid
from pathlib import PurePath


def _random_name(folder: str, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"{folder}/{uuid.uuid4().hex}{suffix}"


def attachment_upload_to(instance, filename: str) -> str:
    return _random_name("attachments", filename)


def evidence_upload_to(instance, filename: str) -> str:
    return _random_name("evidence", filename)


def output_upload_to(instance, filename: str) -> str:
    return _random_name("outputs", filename)


def report_upload_to(instance, filename: str) -> str:
    return _random_name("reports", filename)
