"""Questions and their messages (classified into seed 003's six monitored interactions) and the
rule of how many days a question may wait for an answer."""

import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


def seed_rule(apps, schema_editor):
    """No text found sets how fast a question must be answered: 3 days is the system's default, kept as
    data and marked for an administrator to confirm or change."""
    QuestionRule = apps.get_model("training", "QuestionRule")
    QuestionRule.objects.update_or_create(
        first_year=2020,
        defaults={
            "last_year": None,
            "answer_within_days": 3,
            "source": "Mức mặc định của hệ thống (chưa có văn bản quy định thời hạn trả lời câu hỏi của học viên)",
            "verification_note": (
                "Cần xác nhận: không tìm thấy văn bản quy định số ngày cốt cán, báo cáo viên phải trả lời câu hỏi "
                "của học viên. Mức 3 ngày là mặc định tạm, Sở có thể sửa theo hướng dẫn của mình."
            ),
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0004_institutions_under_their_authority"),
        ("training", "0002_seed_rules"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Question",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("uuid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "audience",
                    models.CharField(choices=[("GV", "Teacher"), ("CBQL", "Manager")], default="GV", max_length=4),
                ),
                ("title", models.CharField(max_length=200, verbose_name="question")),
                ("answered_at", models.DateTimeField(blank=True, null=True)),
                (
                    "cohort",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="questions", to="training.cohort"
                    ),
                ),
                (
                    "enrolment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="questions", to="training.enrolment"
                    ),
                ),
                (
                    "group",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="questions",
                        to="training.supportgroup",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="organisations.unit"
                    ),
                ),
            ],
            options={
                "verbose_name": "question",
                "verbose_name_plural": "questions",
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="QuestionMessage",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("uuid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("author_name", models.CharField(max_length=255)),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("learner", "Learner"),
                            ("mentor", "Core teacher"),
                            ("trainer", "Trainer or organiser"),
                        ],
                        max_length=8,
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("gv_gv", "Teacher ↔ teacher"),
                            ("gv_cc", "Teacher ↔ core teacher"),
                            ("gv_bcv", "Teacher or core teacher ↔ trainer"),
                            ("ql_ql", "Manager ↔ manager"),
                            ("ql_cc", "Manager ↔ core manager"),
                            ("ql_bcv", "Manager or core manager ↔ trainer"),
                        ],
                        max_length=8,
                    ),
                ),
                ("body", models.TextField(verbose_name="message")),
                (
                    "file",
                    models.FileField(
                        blank=True, max_length=255, upload_to="questions/%Y/", verbose_name="attached file"
                    ),
                ),
                ("filename", models.CharField(blank=True, max_length=255)),
                (
                    "author",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "question",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="messages", to="training.question"
                    ),
                ),
            ],
            options={
                "verbose_name": "message",
                "verbose_name_plural": "messages",
                "ordering": ["created_at", "id"],
            },
        ),
        migrations.CreateModel(
            name="QuestionRule",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("first_year", models.PositiveSmallIntegerField(verbose_name="first school year (start year)")),
                (
                    "last_year",
                    models.PositiveSmallIntegerField(
                        blank=True, null=True, verbose_name="last school year (start year)"
                    ),
                ),
                ("answer_within_days", models.PositiveSmallIntegerField(verbose_name="days to answer")),
                ("source", models.CharField(max_length=255, verbose_name="legal source")),
                ("verification_note", models.TextField(blank=True, verbose_name="still to be checked")),
            ],
            options={
                "verbose_name": "question rule",
                "verbose_name_plural": "question rules",
                "ordering": ["first_year"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("last_year__isnull", True), ("last_year__gte", models.F("first_year")), _connector="OR"
                        ),
                        name="question_rule_year_range",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("answer_within_days__gt", 0)), name="question_rule_positive"
                    ),
                ],
            },
        ),
        migrations.AddIndex(
            model_name="question",
            index=models.Index(fields=["cohort", "answered_at"], name="question_cohort_answered"),
        ),
        migrations.AddIndex(
            model_name="question",
            index=models.Index(fields=["group", "answered_at"], name="question_group_answered"),
        ),
        migrations.AddIndex(
            model_name="questionmessage",
            index=models.Index(fields=["question", "created_at"], name="qmessage_question_created"),
        ),
        migrations.RunPython(seed_rule, migrations.RunPython.noop),
    ]
