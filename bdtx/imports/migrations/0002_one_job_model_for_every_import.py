"""One ImportJob for every kind of import: `errors` becomes `problems` (with a severity), warnings are
counted, importer options are kept, and catalog imports need no school year.

The catalog and TEMIS imports' own tables are copied into this one by catalog 0006 and standards 0004.
"""

import django.db.models.deletion
from django.db import migrations, models


def severity_on_every_problem(apps, schema_editor):
    """Staff jobs stored errors only: mark each one so."""
    db = schema_editor.connection.alias
    ImportJob = apps.get_model("imports", "ImportJob")
    for job in ImportJob.objects.using(db).exclude(problems=[]).only("pk", "problems").iterator():
        problems = [{"severity": "error", **p} for p in job.problems]
        ImportJob.objects.using(db).filter(pk=job.pk).update(problems=problems)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0002_school_years"),
        ("imports", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(model_name="importjob", old_name="errors", new_name="problems"),
        migrations.AlterField(
            model_name="importjob",
            name="problems",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="[{row, col, column, key, value, code, message, severity}], errors then warnings.",
            ),
        ),
        migrations.AddField(
            model_name="importjob",
            name="options",
            field=models.JSONField(blank=True, default=dict, help_text="What the importer was told on upload."),
        ),
        migrations.AddField(
            model_name="importjob",
            name="warning_count",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="importjob",
            name="kind",
            field=models.CharField(max_length=32, verbose_name="kind"),
        ),
        migrations.AlterField(
            model_name="importjob",
            name="school_year",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.schoolyear",
                verbose_name="school year",
            ),
        ),
        migrations.RunPython(severity_on_every_problem, migrations.RunPython.noop),
    ]
