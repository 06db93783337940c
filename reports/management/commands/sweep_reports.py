from django.core.management.base import BaseCommand

from car_programme.words import counted
from reports.services import sweep


class Command(BaseCommand):
    help = (
        "Publish again the report requests nobody is working on: those saved while the broker "
        "was down, those whose message was lost, and renders whose worker died."
    )

    def handle(self, *args, **options):
        published = sweep()
        self.stdout.write(f"{counted(published, 'report request')} handed to the workers.")
