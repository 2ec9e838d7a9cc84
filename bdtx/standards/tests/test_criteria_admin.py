"""An administrator of the ministry completes a standard from the circular's text: a missing
criterion typed in with its source, a criterion corrected, the circular's number of criteria;
every change audited, nobody else allowed (403), unknown standards 404."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from bdtx.accounts.selectors import scope_for_user
from bdtx.core.models import AuditLog
from bdtx.people.models import Employment
from bdtx.standards import services
from bdtx.standards.models import Criterion, Framework, Standard
from bdtx.standards.tests.conftest import framework

pytestmark = pytest.mark.django_db

ENTRY = {
    "standard_number": "4",
    "standard_title": "",
    "title": "Thực hiện quyền trẻ em",
    "source": "Điều 7 Thông tư 26/2018/TT-BGDĐT, văn bản trên vbpl.vn",
    "confidence": "verified",
}


@pytest.fixture
def incomplete() -> Framework:
    """TT 26/2018 with criterion 12 not recorded."""
    Criterion.objects.filter(standard__framework__code="tt26_2018_gvmn", number=12).delete()
    return framework("tt26_2018_gvmn")


def _url(name: str, fw: Framework, **kw: int) -> str:
    return reverse(f"standards:{name}", kwargs={"uuid": fw.uuid, **kw})


def test_the_ministry_sees_which_criteria_are_missing_and_adds_one(world, login, incomplete):
    client = login(world.users["ministry"])
    listing = client.get(reverse("standards:frameworks"))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "14/15" in html and "thiếu tiêu chí 12: xếp loại chỉ là tạm tính" in html
    detail = client.get(_url("framework", incomplete)).content.decode()
    assert _url("criterion_edit", incomplete, number=12) in detail
    assert "Quy tắc xếp loại (Khoản 2 Điều 10)" in detail and "mọi tiêu chí cốt lõi đạt từ mức Tốt" in detail

    r = client.post(_url("criterion_edit", incomplete, number=12), ENTRY)
    assert r.status_code == 302 and r["Location"] == _url("framework", incomplete)
    c = Criterion.objects.get(standard__framework=incomplete, number=12)
    assert (c.title, c.standard.number, c.confidence, c.is_key) == ("Thực hiện quyền trẻ em", 4, "verified", False)
    entry = AuditLog.objects.get(action="criterion.add", actor=world.users["ministry"])
    assert entry.changes["number"] == [None, 12] and entry.changes["source"][1] == ENTRY["source"]
    assert "14/15" not in client.get(reverse("standards:frameworks")).content.decode()


def test_a_criterion_is_corrected_with_its_changes_audited(world, login):
    tt26 = framework("tt26_2018_gvmn")
    client = login(world.users["sysadmin"])
    form = client.get(_url("criterion_edit", tt26, number=11))
    assert form.context["form"].initial["confidence"] == "unverified"
    r = client.post(_url("criterion_edit", tt26, number=11), {**ENTRY, "title": "Phối hợp với cha mẹ trẻ em"})
    assert r.status_code == 302
    entry = AuditLog.objects.get(action="criterion.update")
    assert entry.changes["title"][1] == "Phối hợp với cha mẹ trẻ em"
    assert entry.changes["confidence"] == ["unverified", "verified"]


def test_a_criterion_without_its_source_is_refused(world, login, incomplete):
    client = login(world.users["ministry"])
    r = client.post(_url("criterion_edit", incomplete, number=12), {**ENTRY, "source": "  "})
    assert r.status_code == 200 and r.context["form"].errors
    assert not Criterion.objects.filter(standard__framework=incomplete, number=12).exists()


def test_the_service_checks_what_the_circular_allows(world):
    scope = scope_for_user(world.users["ministry"])
    tt26 = framework("tt26_2018_gvmn")
    entry = {"title": "X", "source": "Điều 7", "confidence": "partial"}
    with pytest.raises(ValidationError) as e:
        services.criterion_save(scope=scope, framework=tt26, number=16, standard_number=5, **entry)
    assert "number" in e.value.message_dict  # TT 26 has 15 criteria
    with pytest.raises(ValidationError) as e:
        services.criterion_save(scope=scope, framework=tt26, number=15, standard_number=6, **entry)
    assert "standard_title" in e.value.message_dict  # a new standard needs its title
    with pytest.raises(ValidationError) as e:
        services.criterion_save(
            scope=scope, framework=tt26, number=15, standard_number=5, **{**entry, "confidence": "?"}
        )
    assert "confidence" in e.value.message_dict


def test_a_missing_standard_is_created_with_its_title(world, incomplete):
    Criterion.objects.filter(standard__framework=incomplete, number=11).delete()
    Standard.objects.filter(framework=incomplete, number=4).delete()
    scope = scope_for_user(world.users["ministry"])
    services.criterion_save(
        scope=scope,
        framework=incomplete,
        number=11,
        standard_number=4,
        standard_title="Phát triển mối quan hệ giữa nhà trường, gia đình và cộng đồng",
        title="Phối hợp với cha mẹ",
        source="Điều 7",
        confidence="partial",
    )
    assert Standard.objects.get(framework=incomplete, number=4).title.endswith("và cộng đồng")


@pytest.mark.parametrize("user", ["so_a", "principal_a1", "teacher_a1", "norole"])
def test_only_the_ministrys_administrators_complete_the_standards(world, login, user, incomplete):
    client = login(world.users[user])
    for link in (_url("framework_edit", incomplete), _url("criterion_edit", incomplete, number=12)):
        assert client.get(link).status_code == 403, link
        assert client.post(link, ENTRY).status_code == 403, link
    assert not Criterion.objects.filter(standard__framework=incomplete, number=12).exists()
    with pytest.raises(PermissionDenied):
        services.criterion_save(
            scope=scope_for_user(world.users[user]),
            framework=incomplete,
            number=12,
            standard_number=4,
            title=ENTRY["title"],
            source=ENTRY["source"],
            confidence=ENTRY["confidence"],
        )


def test_a_department_that_manages_catalogs_sees_the_standards_without_changing_them(world, login, incomplete):
    client = login(world.users["so_a"])
    assert "14/15" in client.get(reverse("standards:frameworks")).content.decode()
    detail = client.get(_url("framework", incomplete))
    assert detail.status_code == 200
    assert _url("criterion_edit", incomplete, number=12) not in detail.content.decode()
    assert _url("framework_edit", incomplete) not in detail.content.decode()


@pytest.mark.parametrize("user", ["principal_a1", "teacher_a1", "norole"])
def test_others_do_not_see_the_standards_data(world, login, user, incomplete):
    client = login(world.users[user])
    assert client.get(reverse("standards:frameworks")).status_code == 403
    assert client.get(_url("framework", incomplete)).status_code == 403


def test_a_criterion_the_circular_does_not_have_is_404(world, login):
    tt26 = framework("tt26_2018_gvmn")  # 15 criteria
    client = login(world.users["ministry"])
    for number in (0, 16):
        assert client.get(_url("criterion_edit", tt26, number=number)).status_code == 404
        assert client.post(_url("criterion_edit", tt26, number=number), ENTRY).status_code == 404


def test_the_services_errors_land_on_the_form(world, login, incomplete):
    Standard.objects.filter(framework=incomplete, number=4).delete()  # criteria 11 (and 12) go with it
    r = login(world.users["ministry"]).post(_url("criterion_edit", incomplete, number=12), ENTRY)
    assert r.status_code == 200
    assert "Tiêu chuẩn 4 chưa có trong hệ thống" in r.context["form"].errors["standard_title"][0]


def test_an_unknown_standard_is_404_before_any_permission_check(world, login):
    missing = str(uuid.uuid4())
    for user in ("ministry", "so_a"):
        client = login(world.users[user])
        assert client.get(reverse("standards:framework", kwargs={"uuid": missing})).status_code == 404
        assert client.get(reverse("standards:criterion_edit", kwargs={"uuid": missing, "number": 1})).status_code == 404


def test_the_circulars_number_of_criteria_cannot_fall_below_those_recorded(world, login):
    tt25 = framework("tt25_2018_hieutruong_mn")
    client = login(world.users["ministry"])
    r = client.post(_url("framework_edit", tt25), {"criteria_count": "17", "completeness_note": ""})
    assert r.status_code == 200 and r.context["form"].errors
    r = client.post(_url("framework_edit", tt25), {"criteria_count": "18", "completeness_note": "Đủ 18 tiêu chí."})
    assert r.status_code == 302
    assert AuditLog.objects.get(action="framework.update", actor=world.users["ministry"]).changes == {
        "completeness_note": [tt25.completeness_note, "Đủ 18 tiêu chí."]
    }


def test_the_standards_page_is_linked_for_those_who_may_see_it(world, login, user_for, incomplete):
    link = reverse("standards:frameworks")
    for user in ("ministry", "so_a"):
        assert link in login(world.users[user]).get(reverse("standards:list")).content.decode()
    assert link not in login(world.users["principal_a1"]).get(reverse("standards:list")).content.decode()
    # the banner of an incomplete standard offers to complete it only to the ministry's managers
    Employment.objects.filter(person=world.people["colleague_a1"]).update(school_level="MN")
    complete = reverse("standards:framework", args=[incomplete.uuid])
    assert complete not in login(user_for("colleague_a1")).get(reverse("standards:mine")).content.decode()
