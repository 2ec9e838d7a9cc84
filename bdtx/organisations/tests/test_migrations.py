"""Training institutions left without a parent are placed under their authority by migration 0004.

As the import pipeline's migration test: the migrations run in a process of their own on a SQLite
file of their own, brought to the state before (organisations 0003), filled with units as the old
code left them, migrated forward — and back. The process prints what it found as JSON.
"""

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
BEFORE = [("organisations", "0003_unit_letterhead"), ("core", "0002_school_years")]
NOTE_START = "Cơ sở đào tạo được đặt dưới cơ quan quản lý"


def _migrate(connection, targets):  # type: ignore[no-untyped-def]
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def _old_tree(apps) -> None:  # type: ignore[no-untyped-def]
    """A ministry, two Sở, and institutions as the old code created them: at the root, without a parent."""
    Unit = apps.get_model("organisations", "Unit")
    Placement = apps.get_model("organisations", "UnitPlacement")
    AuditLog = apps.get_model("core", "AuditLog")
    since = date(2000, 1, 1)

    def unit(pk: int, kind: str, name: str, parent=None, **kw):  # type: ignore[no-untyped-def]
        path = f"{parent.path if parent else '/'}{pk}/"
        u = Unit.objects.create(
            pk=pk, kind=kind, name=name, code=f"U{pk}", parent=parent, path=path, depth=path.count("/") - 2, **kw
        )
        Placement.objects.create(unit=u, parent=parent, path=path, valid_from=since)
        return u

    bo = unit(1, "ministry", "Bộ Giáo dục và Đào tạo")
    unit(2, "department", "Sở Giáo dục và Đào tạo Cao Bằng", bo)
    unit(3, "department", "Sở GD&ĐT Thành phố Hà Nội", bo)
    college = unit(4, "institution", "Trường Cao đẳng Sư phạm", address="Phường Thục Phán, tỉnh Cao Bằng")
    unit(5, "institution", "Phân hiệu Trùng Khánh", college)  # below the college: follows it
    unit(6, "institution", "Trường Đại học Sư phạm")  # names no province: the ministry
    unit(7, "institution", "Trường Cao đẳng Cao Bằng – Hà Nội")  # names two: the ministry
    unit(8, "institution", "Trường Đại học Thủ đô Hà Nội", bo)  # placed already: untouched
    unit(40, "ministry", "Bộ cũ", dissolved_on=date(2001, 1, 1))  # '/40/' starts like '/4'
    for path in ("/4/", "/4/5/", "/40/", "/1/"):
        AuditLog.objects.create(action="role.assign", object_type="accounts.roleassignment", unit_path=path)


def scenario() -> dict[str, object]:
    """Run in the process of its own: before → fill → forward → back."""
    import django

    django.setup()
    from django.db import connection

    _old_tree(_migrate(connection, BEFORE))
    apps = _migrate(connection, None)
    Unit = apps.get_model("organisations", "Unit")
    AuditLog = apps.get_model("core", "AuditLog")
    units = {u.pk: [u.parent_id, u.path, u.depth] for u in Unit.objects.all()}
    placements = sorted(
        [p.unit_id, p.parent_id, p.path] for p in apps.get_model("organisations", "UnitPlacement").objects.all()
    )
    old_entries = sorted(AuditLog.objects.filter(action="role.assign").values_list("unit_path", flat=True))
    moves = sorted(
        [str(e.object_uuid), e.unit_path, e.changes, e.note, e.source]
        for e in AuditLog.objects.filter(action="unit.move")
    )
    uuids = {str(u.uuid): u.pk for u in Unit.objects.all()}
    _migrate(connection, BEFORE)
    back = {u.pk: u.path for u in apps.get_model("organisations", "Unit").objects.all()}
    return {
        "units": units,
        "placements": placements,
        "old_entries": old_entries,
        "moves": [[uuids[m[0]], *m[1:]] for m in moves],
        "back": back,
    }


def test_parentless_institutions_go_under_the_department_of_their_province_else_the_ministry(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"BDTX_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    run = subprocess.run(
        [sys.executable, __file__], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout.splitlines()[-1])
    units = {int(k): v for k, v in result["units"].items()}
    assert units[4] == [2, "/1/2/4/", 2]  # the college names Cao Bằng: under that Sở
    assert units[5] == [4, "/1/2/4/5/", 3]  # the unit below it follows, path and depth
    assert units[6] == [1, "/1/6/", 1]  # no province named: the ministry
    assert units[7] == [1, "/1/7/", 1]  # two provinces named: the ministry
    assert units[8] == [1, "/1/8/", 1]  # already placed: as it was
    assert units[40] == [None, "/40/", 0]  # not an institution; its path only looks alike
    assert [4, 2, "/1/2/4/"] in result["placements"] and [5, 4, "/1/2/4/5/"] in result["placements"]
    assert [6, 1, "/1/6/"] in result["placements"] and [7, 1, "/1/7/"] in result["placements"]
    assert not [p for p in result["placements"] if p[0] in (4, 5, 6, 7) and not p[2].startswith("/1/")]
    # the Sở now sees the institution's past entries; other entries keep their paths
    assert result["old_entries"] == ["/1/", "/1/2/4/", "/1/2/4/5/", "/40/"]
    moves = {m[0]: m[1:] for m in result["moves"]}
    assert set(moves) == {4, 6, 7}
    path, changes, note, source = moves[4]
    assert path == "/1/2/4/" and changes == {"parent": [None, "Sở Giáo dục và Đào tạo Cao Bằng"]}
    assert note.startswith(NOTE_START) and source == "system"
    # going back keeps the (consistent) tree
    assert {int(k): v for k, v in result["back"].items()}[4] == "/1/2/4/"


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    print(json.dumps(scenario()))
