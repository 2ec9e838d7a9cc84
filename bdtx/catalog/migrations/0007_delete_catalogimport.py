from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0006_catalog_imports_to_import_jobs"),
    ]

    operations = [migrations.DeleteModel(name="CatalogImport")]
