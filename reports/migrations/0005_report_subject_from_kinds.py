# The constraint is now built from the registry of report kinds (reports/kinds.py), which names
# every kind's target the same way, as a list.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_constraint_messages"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="reportrequest",
            name="report_target_matches_kind",
        ),
        migrations.AddConstraint(
            model_name="reportrequest",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("kind__in", ["group_learning", "handover_pack"]),
                        ("event__isnull", True),
                        ("group__isnull", False),
                        ("site__isnull", True),
                    ),
                    models.Q(
                        ("kind__in", ["site"]),
                        ("event__isnull", True),
                        ("group__isnull", True),
                        ("site__isnull", False),
                    ),
                    models.Q(
                        ("kind__in", ["event"]),
                        ("event__isnull", False),
                        ("group__isnull", True),
                        ("site__isnull", True),
                    ),
                    models.Q(
                        ("kind__in", ["end_of_programme"]),
                        ("event__isnull", True),
                        ("group__isnull", True),
                        ("site__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="report_target_matches_kind",
                violation_error_message=(
                    "The report's subject does not fit its kind: a group report needs a group, a "
                    "site report a site, an event report an event, and the end-of-programme report"
                    " none of these."
                ),
            ),
        ),
    ]
