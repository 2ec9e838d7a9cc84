"""A person's given name folded (`search_given`): searches rank the people whose given name was typed first."""

from django.db import migrations, models


def fill(apps, schema_editor):
    from bdtx.core.text import fold

    Person = apps.get_model("people", "Person")
    batch = []
    for p in Person.objects.only("pk", "given_name").iterator(chunk_size=5000):
        p.search_given = fold(p.given_name)[:64]
        batch.append(p)
        if len(batch) >= 5000:
            Person.objects.bulk_update(batch, ["search_given"])
            batch = []
    Person.objects.bulk_update(batch, ["search_given"])


class Migration(migrations.Migration):
    dependencies = [("people", "0004_employment_difficult_area")]
    operations = [
        migrations.AddField(
            model_name="person",
            name="search_given",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
