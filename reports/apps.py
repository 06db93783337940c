from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports"

    def ready(self):
        from car_programme.records_version import after_write
        from reports import tasks  # noqa: F401 (registers the tasks in every process)
        from reports.rollups import theme_links_written
        from reports.tallies import tallies_written

        after_write(theme_links_written)
        after_write(tallies_written)
