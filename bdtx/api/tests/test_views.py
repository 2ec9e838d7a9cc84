import pytest
from django.urls import reverse

from bdtx.core.models import AuditLog

pytestmark = pytest.mark.django_db


def test_anonymous_api_call_is_refused(client, world):
    assert client.get(reverse("api:units")).status_code == 403


def test_department_lists_its_units_only(world, login):
    r = login(world.users["so_a"]).get(reverse("api:units"), {"kind": "school"})
    assert r.status_code == 200
    assert sorted(u["code"] for u in r.json()["results"]) == ["TH-A1", "THCS-A2", "THPT-A"]


def test_unit_of_another_province_is_404(world, login):
    r = login(world.users["so_a"]).get(reverse("api:unit", args=[world.u("th_b1").uuid]))
    assert r.status_code == 404


def test_teacher_gets_403_for_units_and_staff(world, login):
    c = login(world.users["teacher_a1"])
    assert c.get(reverse("api:units")).status_code == 403
    assert c.get(reverse("api:staff")).status_code == 403


def test_staff_list_has_sensitive_fields_for_the_principal_and_logs_the_reading(world, login):
    r = login(world.users["principal_a1"]).get(reverse("api:staff"))
    rows = r.json()["results"]
    assert len(rows) == 4 and all("personal_id" in row for row in rows)
    assert AuditLog.objects.filter(action="sensitive.read", actor=world.users["principal_a1"]).exists()


def test_staff_list_hides_sensitive_fields_from_the_ministry(world, login):
    rows = login(world.users["ministry"]).get(reverse("api:staff")).json()["results"]
    assert rows and all("personal_id" not in row and "ethnicity" not in row for row in rows)


def test_staff_of_a_foreign_unit_is_404(world, login):
    r = login(world.users["so_a"]).get(reverse("api:staff"), {"unit": str(world.u("th_b1").uuid)})
    assert r.status_code == 404


def test_openapi_schema_describes_the_endpoints(world, login):
    r = login(world.users["teacher_a1"]).get(reverse("api:schema"), {"format": "json"})
    assert r.status_code == 200
    assert {"/api/v1/units/", "/api/v1/staff/"} <= set(r.json()["paths"])


def test_the_openapi_schema_needs_a_signed_in_user(client, db):
    r = client.get(reverse("api:schema"), {"format": "json"})
    assert r.status_code == 403 and "paths" not in r.content.decode()
