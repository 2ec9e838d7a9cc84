"""Sort keys now compare each name with its tones before the next name ("Anh" before "Ánh")."""

from django.db import migrations


def recompute(apps, schema_editor):
    from bdtx.core.text import vn_sort_key

    Person = apps.get_model("people", "Person")
    batch = []
    for p in Person.objects.only("pk", "given_name", "family_name", "middle_name").iterator(chunk_size=5000):
        p.sort_key = vn_sort_key(p.given_name, p.family_name, p.middle_name)[:255]
        batch.append(p)
        if len(batch) >= 5000:
            Person.objects.bulk_update(batch, ["sort_key"])
            batch = []
    Person.objects.bulk_update(batch, ["sort_key"])


class Migration(migrations.Migration):
    dependencies = [("people", "0002_ethnicities")]
    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
