from django.db import migrations, models


def status_field():
    """An output's status, empty when unknown (the source names the output without saying)."""
    return models.CharField(
        blank=True,
        choices=[
            ("draft", "Draft"),
            ("consultation", "In consultation"),
            ("published", "Published"),
        ],
        default="draft",
        help_text="Empty when unknown.",
        max_length=12,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0001_squashed"),
    ]

    operations = [
        migrations.AlterField(model_name=model, name="status", field=status_field())
        for model in ("historicaloutput", "output")
    ]
