"""The triggers that log changes (`bdtx.summaries.triggers`), and every unit and year with data
logged as changed, so that the first read computes the summaries of the data already there."""

from django.db import migrations

from bdtx.summaries.triggers import LOG_EVERYTHING, install_sql, uninstall_sql


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    for sql in install_sql(schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)
    schema_editor.execute(LOG_EVERYTHING, params=None)


def uninstall(apps, schema_editor):  # type: ignore[no-untyped-def]
    for sql in uninstall_sql(schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("summaries", "0001_initial"),
        ("people", "0005_person_search_given"),
        ("training", "0008_mentor_hours_count_towards"),
        ("results", "0003_recognition_rule"),
        ("plans", "0011_results_report_default_deadlines"),
        ("organisations", "0004_institutions_under_their_authority"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
