import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("sites", "0006_programme_logo_and_archive")]

    operations = [
        migrations.CreateModel(
            name="ScopeVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(choices=[("site", "Site"), ("group", "Group")], max_length=5),
                ),
                ("scope_id", models.PositiveBigIntegerField()),
                ("version", models.PositiveBigIntegerField(default=0)),
                (
                    "programme",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="sites.programme",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("programme", "kind", "scope_id"),
                        name="scope_version_unique",
                        violation_error_message=(
                            "This site or group already has its version counter."
                        ),
                    )
                ],
            },
        ),
    ]
