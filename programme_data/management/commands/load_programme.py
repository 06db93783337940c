from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programme_data.loading import DescriptionError, description_read, programme_load
from sites.models import Programme


class Command(BaseCommand):
    help = (
        "Load a programme from its description, a YAML file in the format of "
        "docs/programme-file.md. Nothing is written unless the whole file can be loaded; "
        "loading the same file again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The programme description (YAML)")

    def handle(self, *args, file: Path, **options):
        self.load(file)

    def load(self, file: Path) -> Programme:
        """The programme of ``file``, loaded; a ``CommandError`` (exit status 1) naming each
        ``<file>:<line>: <key>: <reason>`` when the file cannot be loaded, with nothing written."""
        try:
            data = description_read(file)
        except DescriptionError as error:
            raise CommandError(f"Cannot load {file}, nothing was written:\n{error}") from error
        try:
            programme = programme_load(data=data)
        except ValueError as error:
            # What the schema cannot see (a theme no framework holds, a title too long to
            # shorten): the load's transaction is rolled back.
            raise CommandError(f"Cannot load {file}, nothing was written:\n{error}") from error
        self.stdout.write(self.style.SUCCESS(f"Loaded {programme} from {file}."))
        return programme
