"""Django's admin never goes around the services: every model whose changes the services audit is
read-only there (no add, change or delete, inlines included), and the admin shows no ethnicity or ID
number (so it needs no sensitive-read entry; tests/test_sensitive_reads.py walks its pages too)."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from bdtx.core.tests.factories import UserFactory
from bdtx.people.models import Ethnicity, Person
from tests.test_audit_vocabulary import EXAMPLES

pytestmark = pytest.mark.django_db

# Models the services audit: the object of every audited action (the vocabulary test keeps an
# example of each action written), and the employments the staff services write with the person.
AUDITED = {object_type for object_type, _changes, _note in EXAMPLES.values()} | {"people.employment", "core.auditlog"}


def _superuser():  # type: ignore[no-untyped-def]
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def test_every_audited_model_in_the_admin_is_read_only():
    request = RequestFactory().get("/")
    request.user = _superuser()
    checked = []
    for model, model_admin in admin.site._registry.items():
        inlines = [inline(model, admin.site) for inline in model_admin.inlines]
        for part in [model_admin, *inlines]:
            label = part.model._meta.label_lower
            if label not in AUDITED:
                continue
            checked.append(label)
            adds = part.has_add_permission(request) if part is model_admin else part.has_add_permission(request, None)
            assert not adds, label
            assert not part.has_change_permission(request), label
            assert not part.has_delete_permission(request), label
            assert part.has_view_permission(request), label
    expected = {"people.person", "people.employment", "organisations.unit", "accounts.roleassignment"}
    expected |= {"imports.importjob", "standards.assessment", "catalog.module", "regimes.regime", "core.auditlog"}
    assert expected <= set(checked)


def test_the_admin_refuses_a_change_posted_to_a_person(world, client):
    client.force_login(_superuser())
    teacher = world.people["teacher_a1"]
    url = reverse("admin:people_person_change", args=[teacher.pk])
    r = client.post(url, {"family_name": "Đổi", "given_name": "Tên", "gender": "M"})
    assert r.status_code == 403
    teacher.refresh_from_db()
    assert teacher.family_name == "Nguyễn"
    assert client.post(reverse("admin:people_person_delete", args=[teacher.pk]), {"post": "yes"}).status_code == 403
    assert Person.objects.filter(pk=teacher.pk).exists()


def test_the_admin_shows_people_without_ethnicity_or_id_number_and_cannot_search_by_id(world, client):
    client.force_login(_superuser())
    teacher = world.people["teacher_a1"]
    Ethnicity.objects.filter(pk=teacher.ethnicity_id).update(name="DânTộcĐánhDấu")
    for url in (reverse("admin:people_person_change", args=[teacher.pk]), reverse("admin:people_person_changelist")):
        page = client.get(url)
        assert page.status_code == 200 and teacher.given_name in page.text
        assert teacher.personal_id not in page.text and "DânTộcĐánhDấu" not in page.text
    found = client.get(reverse("admin:people_person_changelist"), {"q": teacher.personal_id})
    assert found.status_code == 200 and teacher.given_name not in found.text


def test_rule_data_without_services_stays_editable_in_the_admin():
    """Default deadlines, school years and ethnic groups are corrected here (a standard's criteria
    are not: /standards/frameworks/ edits them through an audited service)."""
    request = RequestFactory().get("/")
    request.user = _superuser()
    for label in ("plans.deadlinedefault", "core.schoolyear", "people.ethnicity"):
        model = apps.get_model(label)
        assert admin.site._registry[model].has_change_permission(request), label
