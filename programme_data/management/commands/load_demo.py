from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

from accounts.demo import DEMO_PASSWORD, demo_logins
from programme_data.logins import demo_logins_ensure
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
        demo_logins_ensure(programme=programme, site=site)
        self.stdout.write(f"Demo sign-ins, each with the password {DEMO_PASSWORD}:")
        for login in demo_logins():
            self.stdout.write(f"  {login.username:<12} {'; '.join(login.roles)}")
