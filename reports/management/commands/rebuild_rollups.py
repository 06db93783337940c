from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from reports.rollups import rollups_rebuild
from sites.models import Programme


class Command(BaseCommand):
    help = (
        "Rebuild the rows that dashboards read instead of the records behind them (the "
        "activities of each month, the organisations meeting in each activity, the theme links "
        "of each record), from the records, for one programme or all."
    )

    def add_arguments(self, parser):
        parser.add_argument("--programme", metavar="SLUG", help="only this programme")

    def handle(self, *args, programme=None, **options):
        chosen = None
        if programme is not None:
            chosen = Programme.objects.filter(slug=programme).first()
            if chosen is None:
                raise CommandError(f"There is no programme “{programme}”.")
        with transaction.atomic():
            rollups_rebuild(chosen)
        self.stdout.write(f"Rebuilt the rollups of {chosen or 'every programme'}.")
