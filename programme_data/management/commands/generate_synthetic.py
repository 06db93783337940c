import time

from django.core.management.base import BaseCommand, CommandError

from programme_data.synthetic import generate_programme


class Command(BaseCommand):
    help = (
        "Create a deterministic synthetic CAR programme of N sites (slug synthetic-<N>-<seed>), "
        "replacing one made earlier with the same arguments. 4 sites is about the demo's size."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sites", type=int, required=True, help="Number of case sites")
        parser.add_argument("--seed", type=int, default=1, help="Seed of the random generator")

    def handle(self, *args, sites: int, seed: int, **options):
        if sites < 1:
            raise CommandError("--sites must be at least 1")
        started = time.perf_counter()
        programme = generate_programme(sites=sites, seed=seed)
        elapsed = time.perf_counter() - started
        for label, count in sorted(programme.summary.counts.items()):
            self.stdout.write(f"{label:<40} {count:>9}")
        self.stdout.write(
            self.style.SUCCESS(f"Created {programme.slug} in {elapsed:.1f} s: {programme.name}.")
        )
