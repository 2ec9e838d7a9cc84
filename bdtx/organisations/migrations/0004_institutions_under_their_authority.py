"""Training institutions stood beside the tree, without a parent: no Sở and no administrator could
see them or their accounts. Each belongs to the authority that contracts it, so each parentless
institution is placed under the Sở of its province when its name or address names exactly one
province (the demo's "Trường Cao đẳng Sư phạm Cao Bằng, tỉnh Cao Bằng"), else under the ministry.

This corrects data rather than recording a move: the institution always belonged there, so its
placements (its history) are rewritten with the parent, and the paths of the institution, of any
unit below it, of their placements and of their audit entries take the new prefix — the Sở then sees
the institution's past entries (its accounts' roles) too. One audit entry per institution says so.
Going back leaves the institutions where they are (the tree stays consistent either way).
"""

import re
import unicodedata

from django.db import migrations

# How a Sở's name starts ("Sở Giáo dục và Đào tạo Cao Bằng", "Sở GD&ĐT Tỉnh An") and the words that
# may come before a province's name: what is left is the province, as its addresses write it.
DEPARTMENT_PREFIXES = ("so giao duc va dao tao", "so gd&dt", "so gddt", "so gd-dt", "so gd dt")
PROVINCE_WORDS = ("tinh", "thanh pho", "tp.", "tp")
NOTE = "Cơ sở đào tạo được đặt dưới cơ quan quản lý ký hợp đồng đào tạo với cơ sở (bổ sung đơn vị cấp trên còn thiếu)"


def _fold(text: str) -> str:
    """Lower case without diacritics ('Đ' → 'd'), spaces collapsed: 'Cao Bằng' → 'cao bang'."""
    text = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return " ".join(text.lower().split())


def _province_name(department_name: str) -> str:
    name = _fold(department_name)
    for prefix in DEPARTMENT_PREFIXES:
        if name.startswith(prefix):
            name = name[len(prefix) :].strip()
            break
    else:
        return ""
    for word in PROVINCE_WORDS:
        if name.startswith(word + " "):
            return name[len(word) + 1 :].strip()
    return name


def _authority(institution, departments, ministry):  # type: ignore[no-untyped-def]
    """The Sở whose province the institution's name or address names (exactly one), else the ministry."""
    text = _fold(f"{institution.name} {institution.short_name} {institution.address}")
    matches = [
        d
        for d, province in departments
        if province and re.search(rf"(^|[^a-z0-9]){re.escape(province)}($|[^a-z0-9])", text)
    ]
    return matches[0] if len(matches) == 1 else ministry


def _with_prefix(path: str, old: str, new: str) -> str:
    return new + path[len(old) :]


def place_institutions(apps, schema_editor):  # type: ignore[no-untyped-def]
    Unit = apps.get_model("organisations", "Unit")
    UnitPlacement = apps.get_model("organisations", "UnitPlacement")
    AuditLog = apps.get_model("core", "AuditLog")
    orphans = list(Unit.objects.filter(kind="institution", parent__isnull=True).order_by("pk"))
    if not orphans:
        return
    ministry = Unit.objects.filter(kind="ministry", dissolved_on__isnull=True).order_by("depth", "pk").first()
    if ministry is None:
        return  # no tree to place them in
    departments = [
        (d, _province_name(d.name)) for d in Unit.objects.filter(kind="department", dissolved_on__isnull=True)
    ]
    for institution in orphans:
        parent = _authority(institution, departments, ministry)
        old, new = institution.path, f"{parent.path}{institution.pk}/"
        for unit in Unit.objects.filter(path__startswith=old):
            unit.path = _with_prefix(unit.path, old, new)
            unit.depth = unit.path.count("/") - 2
            if unit.pk == institution.pk:
                unit.parent = parent
            unit.save(update_fields=["path", "depth", "parent"])
        for placement in UnitPlacement.objects.filter(path__startswith=old):
            placement.path = _with_prefix(placement.path, old, new)
            if placement.unit_id == institution.pk and placement.parent_id is None:
                placement.parent = parent
            placement.save(update_fields=["path", "parent"])
        for entry in AuditLog.objects.filter(unit_path__startswith=old).only("unit_path"):
            entry.unit_path = _with_prefix(entry.unit_path, old, new)
            entry.save(update_fields=["unit_path"])
        AuditLog.objects.create(
            action="unit.move",
            source="system",
            object_type="organisations.unit",
            object_uuid=institution.uuid,
            object_repr=institution.name[:255],
            unit_path=new,
            changes={"parent": [None, parent.name]},
            note=NOTE,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0003_unit_letterhead"),
        ("core", "0002_school_years"),
    ]
    operations = [migrations.RunPython(place_institutions, migrations.RunPython.noop)]
