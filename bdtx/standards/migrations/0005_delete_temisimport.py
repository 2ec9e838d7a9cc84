from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("standards", "0004_temis_imports_to_import_jobs"),
    ]

    operations = [migrations.DeleteModel(name="TemisImport")]
