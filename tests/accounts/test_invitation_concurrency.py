"""An invitation link submitted twice at the same moment makes one account.

In a module of its own: a transactional test must not share a module with tests of the ``cast``,
whose rows stay in a transaction open until the module's last test.
"""

import threading

import pytest
from django.db import connection

from accounts import services
from accounts.enums import RoleKind
from accounts.models import Role, User
from car_programme.exceptions import DomainError
from tests import factories

PASSWORD = "a-fresh-long-password-2026"


@pytest.mark.django_db(transaction=True)
def test_two_submits_at_once_accept_once():
    """Two requests with the same link, at the same moment, each in its own connection: the
    second waits for the first's lock, then finds the invitation used."""
    invitation = factories.InvitationFactory(sites=[])
    invitation.role = RoleKind.PROGRAMME_MANAGER
    invitation.save()
    start = threading.Barrier(2)
    outcomes = []

    def submit(name):
        start.wait()
        try:
            services.invitation_accept_as_new_user(
                invitation=invitation, full_name=name, password=PASSWORD
            )
            outcomes.append("accepted")
        except DomainError as error:
            outcomes.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(name,)) for name in ("First", "Second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("accepted") == 1
    refused = next(outcome for outcome in outcomes if outcome != "accepted")
    assert refused.startswith("This invitation has already been used.")
    assert User.objects.filter(email=invitation.email).count() == 1
    assert Role.objects.filter(programme=invitation.programme).count() == 1
