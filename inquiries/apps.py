from django.apps import AppConfig


class InquiriesConfig(AppConfig):
    name = "inquiries"
    verbose_name = "Inquiry groups"

    def ready(self):
        from car_programme.records_version import after_write
        from inquiries.people_counts import people_counts_written

        after_write(people_counts_written)
