from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

from programme_data.logins import DEMO_PASSWORD, demo_logins_ensure
from programme_data.management.commands import load_programme

DEMO_FILE = Path(__file__).resolve().parents[2] / "demo" / "wws_car.yaml"


class Command(load_programme.Command):
    help = (
        "Load the What Works Scotland CAR programme 2015-2017 from the published facts, as "
        "load_programme does, and on the embedded default its demo sign-ins. Safe to run "
        "again: it changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--logins-site",
            default="fife",
            help="Slug of the site the demo researcher and strategy lead belong to.",
        )

    def handle(self, *args, logins_site: str, **options):
        programme = self.load(DEMO_FILE)
        if not settings.DEMO_LOGINS_ALLOWED:
            return
        site = programme.sites.filter(slug=logins_site).first()
        if site is None:
            raise CommandError(f"No site {logins_site!r} in {programme}")
        users = demo_logins_ensure(programme=programme, site=site)
        names = ", ".join(user.username for user in users)
        self.stdout.write(f"Demo logins: {names} (password {DEMO_PASSWORD!r}).")
