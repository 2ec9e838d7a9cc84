"""Difficult area per employment: None means "as the unit", so every existing row keeps counting as
its unit says until someone sets it (a satellite site in a difficult village, for instance)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0003_recompute_sort_keys"),
    ]

    operations = [
        migrations.AddField(
            model_name="employment",
            name="difficult_area",
            field=models.BooleanField(
                blank=True, default=None, help_text="Empty: as the unit.", null=True, verbose_name="difficult area"
            ),
        ),
    ]
