from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from programme_data.loading import DescriptionError, description_read, programme_load
from programme_data.logins import DEMO_PASSWORD, demo_logins_ensure

DEMO_FILE = Path(__file__).resolve().parents[2] / "demo" / "wws_car.yaml"


class Command(BaseCommand):
    help = (
        "Load the What Works Scotland CAR programme 2015-2017 from the published facts "
        "(or another programme description with --file). Safe to run again: it changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DEMO_FILE, help="Programme description")
        parser.add_argument(
            "--logins-site",
            default="fife",
            help="Slug of the site the demo researcher and strategy lead belong to.",
        )

    def handle(self, *args, file: Path, logins_site: str, **options):
        try:
            data = description_read(file)
        except DescriptionError as error:
            raise CommandError(f"Cannot load {file}:\n{error}") from error
        programme = programme_load(data=data)
        self.stdout.write(self.style.SUCCESS(f"Loaded {programme}."))
        if not settings.DEMO_LOGINS_ALLOWED:
            return
        site = programme.sites.filter(slug=logins_site).first()
        if site is None:
            raise CommandError(f"No site {logins_site!r} in {programme}")
        users = demo_logins_ensure(programme=programme, site=site)
        names = ", ".join(user.username for user in users)
        self.stdout.write(f"Demo logins: {names} (password {DEMO_PASSWORD!r}).")
