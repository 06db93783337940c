"""Builds the provider's database: its tables, its users and the application of the product.

Run as ``python -m tests.sso_provider.prepare`` with the provider's environment; the users come
as JSON in ``PROVIDER_USERS`` (username, password, email, verified).
"""

import json
import os

import django
from django.core.management import call_command


def main() -> None:
    django.setup()
    from django.contrib.auth.models import User
    from oauth2_provider.models import Application

    from tests.sso_provider.urls import UNVERIFIED

    call_command("migrate", verbosity=0)
    for person in json.loads(os.environ["PROVIDER_USERS"]):
        User.objects.create_user(
            person["username"],
            email=person["email"],
            password=person["password"],
            last_name="" if person["verified"] else UNVERIFIED,
        )
    Application.objects.create(
        name="CAR Programme Manager",
        client_id=os.environ["PROVIDER_CLIENT_ID"],
        client_secret=os.environ["PROVIDER_CLIENT_SECRET"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=os.environ["PROVIDER_REDIRECT_URI"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )


if __name__ == "__main__":
    main()
