"""Every action the code writes to the audit log (or as a plan's event) is registered in the one
audit vocabulary (bdtx/core/audit.py, filled by each app's audit.py), has a Vietnamese label, and
reads in words: labels for keys, choice labels for codes, no raw lists or dicts.

The codes are read from the code itself (every `audit_record(action=…)`, every `PlanEvent` /
`UnitPlanEvent` / `AuditLog` created with an action, every audit row built as a dict, following
private helpers that pass the action on), tests and migrations left out. An action built at run
time (an f-string, a lookup) fails here: write the code as a literal so it can be found. The one
declared exception: an importer's `upload_action` / `confirm_action` / `write_action`, class
attributes the import pipeline writes, which are read from every class that declares them.
"""

import ast
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import translation

from bdtx.core.audit import audit_actions
from bdtx.core.models import AuditLog

ROOT = Path(__file__).resolve().parent.parent / "bdtx"
ACTION_MODELS = {"AuditLog", "PlanEvent", "UnitPlanEvent"}
IMPORTER_ACTIONS = {"upload_action", "confirm_action", "write_action"}  # core.importing.base.Importer
ROOT_SINK = "audit_record"  # core's writer: its callers are the sinks, its body forwards to them


@dataclass
class Scan:
    codes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # code → where
    dynamic: list[str] = field(default_factory=list)  # where an action is not a literal


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _action_arg(call: ast.Call, fn: ast.FunctionDef | None = None, param: str = "action") -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == param:
            return kw.value
    if fn is not None:
        positional = [a.arg for a in [*fn.args.posonlyargs, *fn.args.args]]
        if param in positional and positional.index(param) < len(call.args):
            return call.args[positional.index(param)]
    return None


def _is_sink(node: ast.AST, module_uses_auditlog: bool) -> ast.expr | None:
    """The action expression of a write: audit_record(...), <Model>.objects.create(...) or
    <Model>(...) of a model storing actions, or a dict row for AuditLog."""
    if isinstance(node, ast.Call):
        func = node.func
        if _name(func) == ROOT_SINK:
            return _action_arg(node)
        if isinstance(func, ast.Name) and func.id in ACTION_MODELS:
            return _action_arg(node)
        if (
            isinstance(func, ast.Attribute)
            and func.attr in ("create", "get_or_create", "update_or_create")
            and isinstance(func.value, ast.Attribute)
            and func.value.attr == "objects"
            and _name(func.value.value) in ACTION_MODELS
        ):
            return _action_arg(node)
    if isinstance(node, ast.Dict) and module_uses_auditlog:
        for key, value in zip(node.keys, node.values, strict=True):
            if isinstance(key, ast.Constant) and key.value == "action":
                return value
    return None


def scan_module(tree: ast.Module, where: str, scan: Scan) -> None:
    parents: dict[ast.AST, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    uses_auditlog = any(isinstance(n, ast.Name) and n.id == "AuditLog" for n in ast.walk(tree))

    def enclosing(node: ast.AST) -> ast.FunctionDef | None:
        while node in parents:
            node = parents[node]
            if isinstance(node, ast.FunctionDef):
                return node
        return None

    def resolve(expr: ast.expr, fn: ast.FunctionDef | None, seen: frozenset[str]) -> None:
        line = f"{where}:{expr.lineno}"
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            scan.codes[expr.value].append(line)
        elif isinstance(expr, ast.IfExp):
            resolve(expr.body, fn, seen)
            resolve(expr.orelse, fn, seen)
        elif isinstance(expr, ast.Name) and fn is not None:
            params = [a.arg for a in [*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs]]
            if expr.id in params:
                # a helper passing its caller's action on: read it at every call of the helper
                if fn.name == ROOT_SINK or fn.name in seen:
                    return
                calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and _name(n.func) == fn.name]
                if not calls:
                    scan.dynamic.append(f"{line}: {fn.name}() passes its `{expr.id}` on but is not called here")
                for call in calls:
                    arg = _action_arg(call, fn, expr.id)
                    if arg is None:
                        scan.dynamic.append(f"{where}:{call.lineno}: {fn.name}() called without `{expr.id}`")
                    else:
                        resolve(arg, enclosing(call), seen | {fn.name})
                return
            assigned = [
                n.value
                for n in ast.walk(fn)
                if isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == expr.id for t in n.targets)
            ]
            if not assigned:
                scan.dynamic.append(f"{line}: `{expr.id}` is not a literal")
            for value in assigned:
                resolve(value, fn, seen)
        elif isinstance(expr, ast.Attribute) and expr.attr in IMPORTER_ACTIONS:
            return  # declared as literals on each importer class (read below)
        else:
            scan.dynamic.append(f"{line}: {ast.unparse(expr)} is not a literal")

    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for stmt in node.body:
                target = stmt.targets[0] if isinstance(stmt, ast.Assign) else getattr(stmt, "target", None)
                value = getattr(stmt, "value", None)
                if isinstance(target, ast.Name) and target.id in IMPORTER_ACTIONS and value is not None:
                    if isinstance(value, ast.Constant) and isinstance(value.value, str):
                        scan.codes[value.value].append(f"{where}:{stmt.lineno}")
                    else:
                        scan.dynamic.append(f"{where}:{stmt.lineno}: {node.name}.{target.id} is not a literal")
        expr = _is_sink(node, uses_auditlog)
        if expr is not None:
            resolve(expr, enclosing(node), frozenset())


def written_actions() -> Scan:
    scan = Scan()
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if "tests" in rel.parts or "migrations" in rel.parts:
            continue
        scan_module(ast.parse(path.read_text(encoding="utf-8")), str(rel), scan)
    return scan


WRITTEN = written_actions()


# What the services write for each action (object type, changes, note), as realistic as the code.
EXAMPLES: dict[str, tuple[str, dict, str]] = {
    "unit.create": (
        "organisations.unit",
        {"name": [None, "Trường TH A"], "kind": [None, "school"], "levels": [None, ",TH,THCS,"]},
        "",
    ),
    "unit.update": (
        "organisations.unit",
        {"phone": ["0206 3852 111", "0206 3852 222"], "difficult_area": [False, True]},
        "",
    ),
    "unit.move": (
        "organisations.unit",
        {"parent": ["Phòng GD&ĐT Hòa An", "Sở GD&ĐT Cao Bằng"], "effective": [None, "2025-07-01"]},
        "Sắp xếp đơn vị hành chính",
    ),
    "unit.letterhead": (
        "organisations.unit",
        {"governing_body": ["", "ỦY BAN NHÂN DÂN TỈNH CAO BẰNG"], "signer_name": ["", "Hoàng Văn Thắng"]},
        "",
    ),
    "person.create": (
        "people.person",
        {
            "family_name": [None, "Nông"],
            "gender": [None, "F"],
            "date_of_birth": [None, "1990-05-02"],
            "personal_id": ["•••", "•••"],
        },
        "import 3f1c2a9e-8d7b-4c6a-9e5f-1a2b3c4d5e6f",
    ),
    "person.update": (
        "people.person",
        {"given_name": ["Hoa", "Hoà"], "ethnicity_id": ["•••", "•••"]},
        "import 3f1c2a9e-8d7b-4c6a-9e5f-1a2b3c4d5e6f",
    ),
    "employment.update": (
        "people.employment",
        {
            "position": ["giao_vien", "to_truong"],
            "is_mentor": [False, True],
            "status": ["working", "leave"],
            "difficult_area": ["unit", True],
        },
        "",
    ),
    "person.transfer": (
        "people.person",
        {"unit": ["Trường TH A", "Trường TH B"], "school_year": 2025, "difficult_area": [False, "unit"]},
        "",
    ),
    "sensitive.read": ("people.person", {}, "person detail: ethnicity, personal ID"),
    "role.assign": (
        "accounts.roleassignment",
        {"user": [None, "hoant1990"], "role": [None, "school_admin"], "unit": [None, "Trường TH A"]},
        "",
    ),
    "role.revoke": ("accounts.roleassignment", {"active": [True, False], "role": ["mentor", "mentor"]}, ""),
    "account.create": ("people.person", {"username": [None, "hoant1990"]}, ""),
    "account.unlock": ("people.person", {"username": ["hoant1990", "hoant1990"], "failed_logins": [5, 0]}, ""),
    "account.password_reset": (
        "people.person",
        {"username": ["hoant1990", "hoant1990"], "must_change_password": [False, True], "failed_logins": [2, 0]},
        "",
    ),
    "import.upload": ("imports.importjob", {}, "staff, 2024-2025"),
    "import.confirm": ("imports.importjob", {}, "only valid rows"),
    "import_job.retry": (
        "imports.importjob",
        {"message": ["Việc nhập dừng ở 60 %: tiến trình xử lý nền không phản hồi trong 10 phút.", ""]},
        "staff",
    ),
    "import_job.abandon": ("imports.importjob", {"status": ["importing", "failed"]}, "temis"),
    "import.staff": (
        "imports.importjob",
        {"rows": 120, "written": 118, "created": 3, "updated": 115, "skipped": 2, "school_year": 2024},
        "only valid rows",
    ),
    "regime.create": (
        "regimes.regime",
        {
            "code": [None, "TT19-2019"],
            "first_year": [None, 2020],
            "shiftable_01_02": [None, True],
            "result_categories": [
                None,
                [{"code": "hoan_thanh", "label": "Hoàn thành kế hoạch BDTX", "completed": True}],
            ],
            "grading": [None, {"pass_category": "hoan_thanh", "fail_category": "khong_hoan_thanh"}],
        },
        "",
    ),
    "regime.update": ("regimes.regime", {"last_year": [None, 2024], "pass_mark": ["5.00", "5.50"]}, ""),
    "hours_shift.set": ("regimes.hoursshift", {"bd01_hours": [40, 30], "bd02_hours": [40, 50]}, ""),
    "content.create": (
        "catalog.programmecontent",
        {"title": [None, "Chủ đề 1"], "hours": [None, 20], "audience": [None, "GVPT"], "position": [None, 1]},
        "BD01 2024-2025",
    ),
    "content.update": ("catalog.programmecontent", {"hours": [20, 25], "school_level": ["", "THCS"]}, ""),
    "content.delete": ("catalog.programmecontent", {"title": ["Chủ đề 1", None], "position": [1, None]}, ""),
    "focus_module.add": (
        "catalog.focusmodule",
        {"module": [None, "GVPT 01 Nghề nghiệp"], "school_level": [None, "THCS"], "priority": [None, 0]},
        "",
    ),
    "focus_module.remove": ("catalog.focusmodule", {"module": ["GVPT 01 Nghề nghiệp", None]}, ""),
    "material.add": (
        "catalog.material",
        {"kind": [None, "link"], "title": [None, "Bài giảng"], "url": [None, "https://x.vn"]},
        "",
    ),
    "material.remove": ("catalog.material", {"title": ["Bài giảng", None]}, ""),
    "module.create": (
        "catalog.module",
        {
            "title": [None, "Nghề nghiệp"],
            "hours_total": [None, 40],
            "confidence": [None, "verified"],
            "active": [None, True],
        },
        "",
    ),
    "module.update": (
        "catalog.module",
        {"hours_total": [30, 40], "levels": [",THCS,", ",THCS,THPT,"], "criteria": [[1, 2], [1, 2, 5]]},
        "",
    ),
    "module_local_hours.set": (
        "catalog.modulelocalhours",
        {
            "hours": [None, 20],
            "source": [None, "Công văn số 1234/SGDĐT-GDTrH ngày 15/8/2025"],
            "years": [None, "2025-2026 → …"],
        },
        "GVPT-TT17-2019 GVPT 02",
    ),
    "module_local_hours.clear": (
        "catalog.modulelocalhours",
        {"years": ["2024-2025 → …", "2024-2025 → 2024-2025"]},
        "GVPT-TT17-2019 GVPT 02",
    ),
    "catalog.create": ("catalog.catalog", {"code": [None, "GVPT-2025"], "first_year": [None, 2025]}, ""),
    "catalog.update": ("catalog.catalog", {"last_year": [None, 2024]}, "thay bằng GVPT-2025"),
    "catalog_import.upload": ("imports.importjob", {}, "GVPT → GVPT-2025"),
    "catalog_import.confirm": ("imports.importjob", {}, "only valid rows"),
    "catalog.import": (
        "imports.importjob",
        {"rows": 15, "written": 15, "created": 12, "updated": 3, "skipped": 0},
        "GVPT: 12 thêm mới, 3 cập nhật",
    ),
    "assessment.save": ("standards.assessment", {"self_result": [None, 3]}, "TT20/2018: 15 criteria rated"),
    "assessment.submit": (
        "standards.assessment",
        {"status": ["draft", "submitted"], "self_result": [2, 3]},
        "TT20/2018",
    ),
    "assessment.opinion": ("standards.assessment", {}, "Nông Thị Hoa"),
    "assessment.evaluate": (
        "standards.assessment",
        {"status": ["submitted", "evaluated"], "principal_result": [None, 4]},
        "",
    ),
    "assessment.import": (
        "standards.assessment",
        {"status": ["draft", "evaluated"], "principal_result": [None, 2]},
        "temis.xlsx row 7; file rating: Đạt",
    ),
    "assessment.recompute": ("standards.assessment", {"self_result": [1, 2]}, "Thông tư 14/2018/TT-BGDĐT"),
    "criterion.add": (
        "standards.criterion",
        {
            "number": [None, 16],
            "title": [None, "Phối hợp giữa nhà trường, gia đình, xã hội"],
            "is_key": [None, False],
            "confidence": [None, "unverified"],
            "source": [None, "Điều 7 Thông tư 25/2018/TT-BGDĐT"],
            "standard": [None, 4],
            "standard_title": [None, "Phát triển mối quan hệ giữa nhà trường, gia đình, xã hội"],
        },
        "",
    ),
    "criterion.update": (
        "standards.criterion",
        {"title": ["Đạo đức", "Đạo đức nghề nghiệp"], "confidence": ["unverified", "verified"]},
        "",
    ),
    "framework.update": (
        "standards.framework",
        {
            "criteria_count": [None, 18],
            "completeness_note": ["Thiếu tiêu chí 16", "Đủ 18/18 tiêu chí"],
            "rules": [["Đạt: mọi tiêu chí ≥ Đạt"], ["Đạt: ≥ 2/3 tiêu chí ≥ Đạt, tiêu chí bắt buộc ≥ Đạt"]],
            "key_criteria": ["", "1, 3, 4, 5, 6, 7, 8, 9"],
        },
        "Khoản 2 Điều 10",
    ),
    "temis.upload": ("imports.importjob", {}, "2024-2025, principal"),
    "temis.confirm": ("imports.importjob", {}, "only valid rows"),
    "temis.import": (
        "imports.importjob",
        {"rows": 6, "written": 5, "created": 3, "updated": 2, "skipped": 1, "school_year": 2024},
        "temis.xlsx: 5 rows, 1 left out",
    ),
    "plan.create": ("plans.personalplan", {"status": [None, "draft"]}, ""),
    "plan.submit": ("plans.personalplan", {"status": ["draft", "submitted"]}, ""),
    "plan.approve": ("plans.personalplan", {"status": ["submitted", "approved"]}, ""),
    "plan.return": ("plans.personalplan", {"status": ["submitted", "returned"]}, "Chọn thêm mô đun"),
    "plan.reopen": ("plans.personalplan", {"status": ["approved", "returned"]}, "Sở đổi mô đun trọng tâm"),
    "plan.copies_create": ("plans.personalplan", {"plans": [None, 85]}, ""),
    "plan.item_add": ("plans.personalplan", {"module": [None, "GVPT 01"], "hours": [None, 40]}, ""),
    "plan.item_update": (
        "plans.personalplan",
        {
            "form": ["ban_tap_trung", "tu_xa"],
            "start_month": ["", "2024-09-01"],
            "end_month": ["2024-12-01", "2025-01-01"],
        },
        "Nghề nghiệp",
    ),
    "plan.item_remove": ("plans.personalplan", {"module": ["GVPT 01", None]}, ""),
    "deadline.set": (
        "plans.deadline",
        {"kind": [None, "personal_plan"], "due_on": [None, "2025-05-31"]},
        "CV 123/SGDĐT",
    ),
    "deadline.delete": ("plans.deadline", {"due_on": ["2025-05-31", None]}, ""),
    "unit_plan.compile": ("plans.unitplan", {}, ""),
    "unit_plan.submit": ("plans.unitplan", {"status": ["draft", "submitted"]}, ""),
    "unit_plan.approve": ("plans.unitplan", {"status": ["submitted", "approved"]}, "Đồng ý"),
    "unit_plan.return": ("plans.unitplan", {"status": ["approved", "returned"]}, "Sửa số liệu"),
    "cohort.create": (
        "training.cohort",
        {
            "name": [None, "Mô đun 4 — đợt 1"],
            "programme": [None, "BD03"],
            "module": [None, "GVPT-4: Xây dựng kế hoạch dạy học"],
            "form": [None, "ban_tap_trung"],
            "capacity": [None, 500],
            "institution": [None, "Trường CĐSP Cao Bằng"],
            "status": [None, "draft"],
            "school_year": [None, 2026],
        },
        "7-2-7",
    ),
    "cohort.update": ("training.cohort", {"capacity": [500, 450], "status": ["draft", "open"]}, ""),
    "cohort.session_add": (
        "training.cohortsession",
        {"venue": [None, "Hội trường Sở"], "starts_at": [None, "2026-12-08T07:30:00+07:00"]},
        "",
    ),
    "trainer.add": (
        "training.trainer",
        {
            "full_name": [None, "Lò Văn An"],
            "person": [None, "Lò Văn An"],
            "role": [None, "reporter"],
            "degree": [None, "master"],
            "it_skills": [None, True],
        },
        "",
    ),
    "enrolment.bulk": ("training.cohort", {"enrolled": [None, 450], "waiting": [None, 12]}, "UBND xã Đông TH GV"),
    "enrolment.withdraw": (
        "training.enrolment",
        {"status": ["enrolled", "withdrawn"], "reason": [None, "Nghỉ thai sản"]},
        "",
    ),
    "enrolment.move": ("training.enrolment", {"from": [None, "Đợt 1"], "to": [None, "Đợt 2"]}, "Gần nhà hơn"),
    "group.split": (
        "training.cohort",
        {"groups": [None, 10], "learners": [None, 480], "without_mentor": [None, 1]},
        "",
    ),
    "group.member_move": ("training.enrolment", {"from": [None, "Nhóm 1"], "to": [None, "Nhóm 2"]}, ""),
    "attendance.mark": ("training.attendance", {"mark": ["absent", "excused"]}, ""),
    "attendance.check_in": ("training.attendance", {"mark": [None, "late"]}, ""),
    "attendance.mark_rest": ("training.cohortsession", {"mark": [None, "absent"], "learners": [None, 12]}, ""),
    "question.ask": ("training.question", {"kind": [None, "gv_cc"], "file": [None, "bai-tap.docx"]}, ""),
    "question.reply": (
        "training.question",
        {"kind": [None, "gv_bcv"], "role": [None, "trainer"], "answered": [None, True]},
        "",
    ),
}
# LMS exchange (issue 9)
EXAMPLES.update(
    {
        "lms.create": ("training.lms", {}, ""),
        "lms.xapi": ("training.lms", {"statements": 48, "repeated": 2}, ""),
        "lms_import.upload": ("imports.importjob", {}, "Mô đun 4 — đợt 1"),
        "lms_import.confirm": ("imports.importjob", {}, "only valid rows"),
        "lms.import": (
            "imports.importjob",
            {"rows": 480, "written": 478, "created": 478, "updated": 0, "skipped": 2},
            "478 kết quả LMS",
        ),
    }
)
# Three-way completion (issue 9)
EXAMPLES.update(
    {
        "completion.mark": (
            "training.enrolment",
            {"party": [None, "institution"], "passed": [True, False], "source": [None, "manual"]},
            "Chấm lại bài thu hoạch",
        ),
        "completion.mark_scores": ("training.cohort", {"learners": [None, 42]}, ""),
        "completion.send": ("training.completionlist", {"learners": [None, 120], "completed": [None, 97]}, ""),
        "completion.approve": ("training.completionlist", {"learners": [None, 120], "completed": [None, 97]}, ""),
        "completion.return": ("training.completionlist", {}, "Thiếu điểm bài thu hoạch của 3 học viên"),
        "evidence.add": ("training.applicationevidence", {"kind": [None, "observation"]}, ""),
    }
)
# Scores and practice work (issue 9)
EXAMPLES.update(
    {
        "component.add": ("training.cohort", {"kind": [None, "research"], "assessed_by": [None, "institution"]}, ""),
        "component.remove": ("training.cohort", {"kind": ["other", None], "assessed_by": ["institution", None]}, ""),
        "score.set": ("training.enrolment", {"score": ["4.5", "7.25"], "source": [None, "grid"]}, "Chấm phúc khảo"),
        "practice.submit": ("training.practicework", {"file": [None, "bai-thu-hoach.pdf"]}, ""),
        "practice.grade": (
            "training.practicework",
            {"score": [None, "8.5"], "comment": [None, "Cần bổ sung minh chứng"]},
            "",
        ),
        "score_import.upload": ("imports.importjob", {}, "Mô đun 4 — đợt 1"),
        "score_import.confirm": ("imports.importjob", {}, "only valid rows"),
        "score.import": (
            "imports.importjob",
            {"rows": 480, "written": 478, "created": 470, "updated": 8, "skipped": 2},
            "478 điểm",
        ),
    }
)
# A schedule entered by hand (issue 9)
EXAMPLES.update(
    {
        "cohort.phase_add": ("training.cohort", {"kind": [None, "in_person"], "from": [None, "12/10/2026"]}, ""),
        "cohort.phase_remove": ("training.cohort", {"kind": ["self_study", None], "to": ["11/10/2026", None]}, ""),
    }
)
# LMS administration (issue 9)
EXAMPLES.update(
    {
        "lms.deactivate": ("training.lms", {}, ""),
        "lms.activate": ("training.lms", {}, ""),
        "lms.rotate": ("training.lms", {}, ""),
    }
)
# Year results (issue 10)
EXAMPLES.update(
    {"results.compute": ("organisations.unit", {"people": [None, 42], "completed": [None, 39], "kept": [None, 0]}, "")}
)
# The year results' workflow (issue 10)
EXAMPLES.update(
    {
        "results.propose": (
            "organisations.unit",
            {"people": [None, 42], "completed": [None, 39], "school_year": [None, 2025]},
            "",
        ),
        "results.recognise": (
            "organisations.unit",
            {
                "people": [None, 42],
                "completed": [None, 39],
                "school_year": [None, 2025],
                "recogniser": [None, "UBND xã Đông"],
            },
            "",
        ),
        "results.return": (
            "organisations.unit",
            {"people": [None, 42], "school_year": [None, 2025]},
            "Thiếu điểm bài thu hoạch của 3 giáo viên",
        ),
        "results.correct": (
            "results.yearresult",
            {"label": ["Không hoàn thành kế hoạch BDTX", "Hoàn thành kế hoạch BDTX"], "completed": [False, True]},
            "Chấm phúc khảo bài thu hoạch",
        ),
    }
)
# Certificates (issue 10)
EXAMPLES.update(
    {
        "certificate.issue": (
            "certificates.certificate",
            {"number": "12/GCN-SGDĐT", "result": "Hoàn thành", "school_year": "2025-2026"},
            "",
        ),
        "certificate.revoke": ("certificates.certificate", {"status": ["issued", "revoked"]}, "Cấp nhầm người"),
        "certificate_job.start": ("certificates.issuejob", {"school_year": "2025-2026"}, ""),
        "issuer_key.rotate": ("certificates.issuerkey", {}, ""),
    }
)
# The historic results import (issue 10)
EXAMPLES.update(
    {
        "results.history_upload": ("imports.importjob", {}, ""),
        "results.history_confirm": ("imports.importjob", {}, "only valid rows"),
        "results.history_import": (
            "imports.importjob",
            {"rows": 40, "written": 38, "created": 30, "updated": 8, "skipped": 2},
            "ket-qua-2015-2019.xlsx: 38 rows",
        ),
        "results.import": (
            "results.yearresult",
            {"label": ["Khá", "Giỏi"], "average": ["8.9", "9.0"]},
            "ket-qua-2015-2019.xlsx row 12",
        ),
    }
)
# Learner surveys (issue 11): answering is audited as a participation, without answers or submission
EXAMPLES.update(
    {
        "questionnaire.create": ("surveys.questionnaire", {"questions": [None, 9], "satisfied_from": [None, 4]}, ""),
        "questionnaire.update": ("surveys.questionnaire", {"questions": [9, 10], "status": ["draft", "published"]}, ""),
        "survey.attach": ("surveys.survey", {"opens_on": [None, "2026-10-20"], "closes_on": [None, "2026-11-03"]}, ""),
        "survey.participate": ("surveys.survey", {}, ""),
        "survey.remind": ("surveys.survey", {"learners": [None, 37]}, ""),
    }
)
# Biểu 3 from data (issue 11)
EXAMPLES.update(
    {
        "bieu3.create": (
            "bieu3.bieu3report",
            {"period": [None, "01/09/2025–31/12/2025"], "modules": [None, "GV4, GV5"], "audience": [None, "pt"]},
            "",
        ),
        "bieu3.update": (
            "bieu3.bieu3report",
            {"sections": [None, "4.1, VI, VIII"], "number": [None, "45/BC-UBND"], "report_date": [None, "20/12/2025"]},
            "",
        ),
        "bieu3.delete": ("bieu3.bieu3report", {}, ""),
    }
)
SAME_IN_VIETNAMESE = {"email"}  # keys whose Vietnamese name is the key itself
RAW = re.compile(r"[\[\]{}]|^(True|False|None)$|\bNone\b")


def choice_codes(entry: AuditLog) -> dict[str, set[object]]:
    """Keys of the entry's changes that are fields with choices on its model → their codes."""
    meta = apps.get_model(entry.object_type)._meta
    fields = {f.name: f for f in meta.get_fields() if getattr(f, "choices", None)}
    return {key: {code for code, _label in fields[key].flatchoices} for key in entry.changes if key in fields}


def entry_for(code: str) -> AuditLog:
    object_type, changes, note = EXAMPLES[code]
    return AuditLog(action=code, object_type=object_type, changes=changes, note=note)


def test_the_scan_finds_the_actions_of_every_app_and_of_plan_events():
    """The checks below would pass on an empty scan: make sure it reads the code."""
    assert {"person.update", "plan.submit", "unit_plan.compile", "module.create", "sensitive.read"} <= set(
        WRITTEN.codes
    )
    assert any("people/services.py" in w for w in WRITTEN.codes["person.create"])  # the bulk rows, as dicts
    assert any(
        "plans/personal/services.py" in w for w in WRITTEN.codes["plan.approve"]
    )  # through _decide → _event/_audit


def test_the_scan_refuses_an_action_built_at_run_time():
    scan = Scan()
    code = 'def f(plan, step):\n    audit_record(actor_id=None, action=f"plan.{step}")\n'
    scan_module(ast.parse(code), "x.py", scan)
    assert scan.dynamic and not scan.codes


def test_every_action_is_written_as_a_literal():
    assert WRITTEN.dynamic == []


@pytest.mark.parametrize("code", sorted(WRITTEN.codes))
def test_every_written_action_is_registered_with_a_vietnamese_label(code):
    assert code in audit_actions, f"register {code} in its app's audit.py (written at {WRITTEN.codes[code]})"
    with translation.override("en"):
        english = AuditLog(action=code).action_label
    with translation.override("vi"):
        vietnamese = AuditLog(action=code).action_label
    assert vietnamese and vietnamese != english and vietnamese != code


def test_every_written_action_has_a_realistic_example_here():
    assert set(WRITTEN.codes) - set(EXAMPLES) == set()


@pytest.mark.parametrize("code", sorted(EXAMPLES))
def test_every_action_reads_in_words(code):
    entry = entry_for(code)
    with translation.override("vi"):
        rows = entry.change_rows()
        note = entry.note_text
    assert len(rows) == len(entry.changes)
    codes = choice_codes(entry)
    for key, row in zip(entry.changes, rows, strict=True):
        assert isinstance(row.label, str) and row.label
        assert "_" not in row.label and (row.label not in entry.changes or row.label in SAME_IN_VIETNAMESE), row
        for value in (row.before, row.after):
            assert value is None or not RAW.search(str(value)), row
            assert value not in codes.get(key, ()), f"{key}: the code {value} reads as its label"
    action = audit_actions.get(code)
    assert action is not None
    if action.notes:
        assert note != entry.note, f"the note of {code} no longer has the form its audit.py reads"


def test_an_import_summary_reads_as_figures_with_their_meaning():
    with translation.override("vi"):
        rows = entry_for("import.staff").change_rows()
        note = entry_for("import.staff").note_text
    assert [(r.label, r.after, r.is_change) for r in rows] == [
        ("số dòng trong tệp", 120, False),
        ("số dòng đã ghi", 118, False),
        ("người được thêm", 3, False),
        ("người được cập nhật", 115, False),
        ("số dòng bỏ qua", 2, False),
        ("năm học", "2024-2025", False),
    ]
    assert note == "chỉ các dòng hợp lệ"


def test_codes_of_choices_read_as_their_labels():
    with translation.override("vi"):
        status = entry_for("plan.submit").change_rows()
        role = entry_for("role.assign").change_rows()
        line = entry_for("plan.item_update").change_rows()
        rating = entry_for("assessment.save").change_rows()
        content = entry_for("content.create").note_text
        levels = entry_for("module.update").change_rows()[1]
    assert status == [("tình trạng", "Bản nháp", "Đã gửi")]
    assert ("vai trò", None, "Quản trị trường (hiệu trưởng)") in role
    assert line == [
        ("hình thức", "Bán tập trung", "Từ xa"),
        ("từ tháng", None, "09/2024"),
        ("đến tháng", "12/2024", "01/2025"),
    ]
    assert rating == [("mức tự đánh giá", None, "Khá")]
    assert content.startswith("Chương trình 01")
    assert levels == ("cấp học", "Trung học cơ sở", "Trung học cơ sở, Trung học phổ thông")


def test_a_difficult_area_as_the_unit_reads_as_such_not_as_empty():
    with translation.override("vi"):
        work = entry_for("employment.update").change_rows()
        transfer = entry_for("person.transfer").change_rows()
    assert ("vùng khó khăn", "theo đơn vị", "Có") in work
    assert ("vùng khó khăn", "Không", "theo đơn vị") in transfer


def test_each_app_registers_the_actions_it_writes():
    """No app labels another's actions: the namespace of a code belongs to the app that writes it."""
    misplaced = {
        code: (audit_actions.owner(code), sorted({w.split("/")[0] for w in where}))
        for code, where in WRITTEN.codes.items()
        if {w.split("/")[0] for w in where} != {audit_actions.owner(code)}
    }
    assert misplaced == {}


# yearreports: the yearly results report up the tree
EXAMPLES.update(
    {
        "year_report.file": ("yearreports.yearreport", {"status": ["draft", "filed"]}, ""),
        "year_report.accept": ("yearreports.yearreport", {"status": ["filed", "accepted"]}, ""),
        "year_report.return": ("yearreports.yearreport", {"status": ["filed", "returned"]}, "Thiếu số liệu CBQL"),
    }
)
