"""Biểu 3's summaries read plan items and units' school levels: the triggers dropped and made again
from `bdtx.summaries.triggers` (which now watches those too)."""

from django.db import migrations

from bdtx.summaries.triggers import install_sql, uninstall_sql


def reinstall(apps, schema_editor):  # type: ignore[no-untyped-def]
    for sql in uninstall_sql(schema_editor.connection.vendor) + install_sql(schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("summaries", "0002_triggers")]

    operations = [migrations.RunPython(reinstall, migrations.RunPython.noop)]
