"""Rating rules and criteria corrected to Khoản 2 Điều 10 of the circulars (issue 8).

- Every framework records how many criteria its circular has (`criteria_count`): shares such as
  "2/3 of the criteria" are counted over that number, not over the criteria recorded.
- TT 14/2018 (principals), Đạt: at least 2/3 of the criteria at Đạt or better and every key
  criterion at Đạt or better; the rule loaded by 0002 asked every criterion at Đạt.
- TT 26/2018 (preschool teachers): key criteria 1, 3, 4, 5, 6, 7, 8, 9 (Tốt and Khá need them at
  that level); 0002 loaded the rules without a key condition.
- TT 26/2018 criteria 11 and 12 (standard 4) and TT 25/2018 criterion 16 are added with their
  source and confidence (`unverified`: background knowledge, to check against the circular).

The rows keep their ids: the rules are corrected in place, each correction said in the rule's
`source`; an installation in use (with an audit history) gets one audit entry per framework
corrected and per criterion added, while a new one is only being loaded, as 0002 loads. Ratings already recorded for
TT 14, 25 and 26 are computed again under the corrected rules over the criteria that were recorded
when they were given (the criteria added here had no level then, so those ratings stay
provisional), with an audit entry for each rating that changes. Idempotent: on a new database,
0002 has already loaded the added criteria from data/standards.csv and nothing is recorded here
for them.
"""

from django.db import migrations

NOT_MET, MET, GOOD, EXCELLENT = 1, 2, 3, 4
LABELS = {NOT_MET: "Chưa đạt", MET: "Đạt", GOOD: "Khá", EXCELLENT: "Tốt"}

COUNTS = {
    "tt20_2018_gvpt": 15,  # 5 standards, 15 criteria
    "tt14_2018_hieutruong": 18,
    "tt26_2018_gvmn": 15,
    "tt25_2018_hieutruong_mn": 18,
}

TT14_MET_SOURCE = (
    "Thông tư 14/2018/TT-BGDĐT, Khoản 2 Điều 10, mức đạt: tối thiểu 2/3 số tiêu chí đạt từ mức đạt trở lên, "
    "trong đó các tiêu chí bắt buộc 1, 2, 4, 5, 6, 8, 10, 12, 13, 14 đạt từ mức đạt trở lên (theo quy tắc nghiệp vụ "
    "của dự án, DOMAIN.md mục 5 và issue 8). Mức tốt, khá và danh sách tiêu chí bắt buộc: "
    "https://congtyvietluat.com/thong-tu-quy-dinh-danh-gia-tieu-chuan-hieu-truong-giao-duc-pho-thong.html ; "
    "nguyên văn mức đạt chưa đọc được trong các nguồn đã lưu, cần đối chiếu văn bản gốc. "
    "Đính chính: quy tắc nạp trước đây đòi tất cả các tiêu chí từ mức đạt trở lên."
)
TT26_RULE_SOURCE = (
    "Thông tư 26/2018/TT-BGDĐT, Khoản 2 Điều 10: tiêu chí bắt buộc 1, 3, 4, 5, 6, 7, 8, 9 (khoản 1 Điều 4; "
    "khoản 1 đến 6 Điều 5; khoản 1 Điều 6), theo bài lawnet.vn số 160583 mà bộ dữ liệu tham chiếu dẫn; nguyên văn "
    "chưa đọc được trong các nguồn đã lưu, cần đối chiếu văn bản gốc. Tốt: tất cả tiêu chí từ khá trở lên, tối thiểu "
    "2/3 tiêu chí đạt mức tốt, tiêu chí bắt buộc đạt mức tốt; Khá: tất cả từ đạt trở lên, tối thiểu 2/3 từ khá trở "
    "lên, tiêu chí bắt buộc từ khá trở lên; Đạt: tất cả từ đạt trở lên. "
    "Đính chính: quy tắc nạp trước đây không xét tiêu chí bắt buộc."
)
TT26_KEY = (1, 3, 4, 5, 6, 7, 8, 9)
TT26_KEY_NOTE = (
    "; key = {1,3,4,5,6,7,8,9} per Khoản 2 Điều 10 TT 26/2018 (lawnet.vn article on TT 26/2018 rating, id 160583)"
)

NOTES = {
    "tt26_2018_gvmn": (
        "Đủ 15/15 tiêu chí và danh sách tiêu chí bắt buộc (1, 3–9). Tên tiêu chí 1, 2 đã đối chiếu nguồn; "
        "tiêu chí 9, 10, 13–15 đối chiếu một phần; tiêu chí 3–8, 11, 12 chưa đối chiếu với văn bản gốc."
    ),
    "tt25_2018_hieutruong_mn": (
        "Đủ 18/18 tiêu chí và danh sách tiêu chí bắt buộc. Tên 10 tiêu chí đối chiếu một phần, 8 tiêu chí (trong đó "
        "tiêu chí 16) chưa đối chiếu với văn bản gốc; tên và cách nhóm các tiêu chuẩn giả định giống Thông tư 14/2018."
    ),
}

_TT26_COMMON = (
    "standard 4 title: http://tintuc.thuvienphapluat.com/thong-bao-van-ban-moi/email/22312/"
    "05-tieu-chuan-nghe-nghiep-giao-vien-mam-non; 5 standards/15 criteria: "
    "https://lienviet.edu.vn/chuan-nghe-nghiep-giao-vien-mam-non; not a key criterion: key = {1,3,4,5,6,7,8,9} "
    "per Khoản 2 Điều 10 TT 26/2018 (lawnet.vn article on TT 26/2018 rating, id 160583)"
)
_TT26_BACKGROUND = (
    "criterion: background knowledge (added for BDTX issue 8; wording not seen in any stored source, "
    "to be checked against Điều 7 TT 26/2018); "
)
# (framework, standard number, standard title, criterion number, title, source, confidence): the rows
# of data/standards.csv added with this migration.
NEW_CRITERIA = [
    (
        "tt26_2018_gvmn",
        4,
        "Phát triển mối quan hệ giữa nhà trường, gia đình và cộng đồng",
        11,
        "Phối hợp với cha mẹ hoặc người giám hộ của trẻ em và cộng đồng để nâng cao chất lượng nuôi dưỡng, "
        "chăm sóc, giáo dục trẻ em",
        _TT26_BACKGROUND + _TT26_COMMON,
        "unverified",
    ),
    (
        "tt26_2018_gvmn",
        4,
        "Phát triển mối quan hệ giữa nhà trường, gia đình và cộng đồng",
        12,
        "Thực hiện quyền trẻ em",
        _TT26_BACKGROUND + _TT26_COMMON,
        "unverified",
    ),
    (
        "tt25_2018_hieutruong_mn",
        4,
        "Phát triển mối quan hệ giữa nhà trường, gia đình, xã hội",
        16,
        "Phối hợp giữa nhà trường, gia đình, xã hội trong huy động và sử dụng nguồn lực để phát triển nhà trường",
        "criterion: background knowledge (added for BDTX issue 8; wording mirrors TT 14/2018 criterion 16 and was "
        "not seen in any stored source, to be checked against Điều 7 TT 25/2018); not a key criterion: key list "
        "1,4,5,6,7,9,11,13,14,15 (Khoản 2 Điều 10): https://thuvienphapluat.vn/hoi-dap-phap-luat/"
        "437C9-hd-xep-loai-ket-qua-danh-gia-theo-chuan-hieu-truong-co-so-giao-duc-mam-non.html ; "
        "https://nganhangphapluat.thukyluat.vn/tu-van-phap-luat/giao-duc/"
        "xep-loai-ket-qua-danh-gia-theo-chuan-hieu-truong-co-so-giao-duc-mam-276425; 18 criteria: "
        "https://m.thuvienphapluat.vn/tintuc/vn/thong-bao-van-ban-moi/email/22261/"
        "quy-dinh-moi-ve-chuan-hieu-truong-truong-mam-non; standard titles/standard grouping: background knowledge "
        "(mirrors TT14)",
        "unverified",
    ),
]

RECOMPUTED = ("tt14_2018_hieutruong", "tt26_2018_gvmn", "tt25_2018_hieutruong_mn")


def _rule_text(rule) -> str:
    parts = []
    if rule.min_all > NOT_MET:
        parts.append(f"mọi tiêu chí ≥ {LABELS[rule.min_all]}")
    if rule.share_level is not None and rule.share_numerator:
        parts.append(f"≥ {rule.share_numerator}/{rule.share_denominator} tiêu chí ≥ {LABELS[rule.share_level]}")
    if rule.key_min is not None:
        parts.append(f"tiêu chí bắt buộc ≥ {LABELS[rule.key_min]}")
    return f"{LABELS[rule.result]}: " + (", ".join(parts) or "—")


def _name(person) -> str:
    return " ".join(p for p in (person.family_name, person.middle_name, person.given_name) if p)


def rate(levels: dict[int, int | None], criteria: list[tuple[int, bool]], rules: list, total: int) -> int | None:
    """The rating of {criterion number: level} under `rules` (Khoản 2 Điều 10), as
    `bdtx.standards.rating.rating_explain` computes it; None when a criterion has no level. Kept
    here so that this migration does not depend on the code of the day."""
    if not criteria or any(levels.get(n) is None for n, _key in criteria):
        return None
    for rule in sorted(rules, key=lambda r: -r.result):
        if any(levels[n] < rule.min_all for n, _key in criteria):
            continue
        if rule.share_level is not None and rule.share_numerator:
            reached = sum(1 for n, _key in criteria if levels[n] >= rule.share_level)
            if reached * rule.share_denominator < rule.share_numerator * total:
                continue
        if rule.key_min is not None and any(levels[n] < rule.key_min for n, key in criteria if key):
            continue
        return rule.result
    return NOT_MET


def forwards(apps, schema_editor):
    Framework = apps.get_model("standards", "Framework")
    Standard = apps.get_model("standards", "Standard")
    Criterion = apps.get_model("standards", "Criterion")
    RatingRule = apps.get_model("standards", "RatingRule")
    Assessment = apps.get_model("standards", "Assessment")
    CriterionRating = apps.get_model("standards", "CriterionRating")
    AuditLog = apps.get_model("core", "AuditLog")
    Unit = apps.get_model("organisations", "Unit")
    national = Unit.objects.filter(kind="ministry", dissolved_on__isnull=True).order_by("depth", "pk").first()
    national_path = national.path if national is not None else ""
    in_use = AuditLog.objects.exists()  # a new installation is loaded, not corrected

    frameworks = {fw.code: fw for fw in Framework.objects.filter(code__in=COUNTS)}
    # the criteria each framework had before this migration: what recorded ratings could rate
    before = {
        code: [(c.number, c.is_key, c.pk) for c in Criterion.objects.filter(standard__framework=fw)]
        for code, fw in frameworks.items()
    }

    changes: dict[str, dict] = {code: {} for code in frameworks}
    for code, fw in frameworks.items():
        if fw.criteria_count != COUNTS[code]:
            changes[code]["criteria_count"] = [fw.criteria_count, COUNTS[code]]
            fw.criteria_count = COUNTS[code]
        if code in NOTES and fw.completeness_note != NOTES[code]:
            fw.completeness_note = NOTES[code]
        fw.save()

    def correct(code, result, source, **fields):
        fw = frameworks.get(code)
        rule = RatingRule.objects.filter(framework=fw, result=result).first() if fw else None
        if rule is None:
            return
        old = _rule_text(rule)
        for name, value in fields.items():
            setattr(rule, name, value)
        rule.source = source
        rule.save()
        if _rule_text(rule) != old:
            changes[code].setdefault("rules", [[], []])
            changes[code]["rules"][0].append(old)
            changes[code]["rules"][1].append(_rule_text(rule))

    correct(
        "tt14_2018_hieutruong",
        MET,
        TT14_MET_SOURCE,
        min_all=NOT_MET,
        share_level=MET,
        share_numerator=2,
        share_denominator=3,
        key_min=MET,
    )
    for result, key_min in ((EXCELLENT, EXCELLENT), (GOOD, GOOD), (MET, None), (NOT_MET, None)):
        correct("tt26_2018_gvmn", result, TT26_RULE_SOURCE, key_min=key_min)

    if "tt26_2018_gvmn" in frameworks:
        key_before = sorted(n for n, key, _pk in before["tt26_2018_gvmn"] if key)
        for c in Criterion.objects.filter(standard__framework=frameworks["tt26_2018_gvmn"]):
            c.is_key = c.number in TT26_KEY
            if c.source.endswith("key criteria not found"):
                c.source += TT26_KEY_NOTE
            c.save()
        if key_before != list(TT26_KEY):
            changes["tt26_2018_gvmn"]["key_criteria"] = [
                ", ".join(map(str, key_before)),
                ", ".join(map(str, TT26_KEY)),
            ]

    added = []
    for code, std_no, std_title, number, title, source, confidence in NEW_CRITERIA:
        fw = frameworks.get(code)
        if fw is None or Criterion.objects.filter(standard__framework=fw, number=number).exists():
            continue
        standard, _created = Standard.objects.get_or_create(framework=fw, number=std_no, defaults={"title": std_title})
        c = Criterion.objects.create(
            standard=standard, number=number, title=title, is_key=False, source=source, confidence=confidence
        )
        added.append((fw, c))

    for code, fw in frameworks.items():
        if changes[code] and in_use:
            AuditLog.objects.create(
                action="framework.update",
                source="system",
                object_type="standards.framework",
                object_uuid=fw.uuid,
                object_repr=fw.name[:255],
                unit_path=national_path,
                changes=changes[code],
                note="Khoản 2 Điều 10",
            )
    for fw, c in added if in_use else ():
        AuditLog.objects.create(
            action="criterion.add",
            source="system",
            object_type="standards.criterion",
            object_repr=f"{fw.circular}: tiêu chí {c.number}"[:255],
            unit_path=national_path,
            changes={
                "number": [None, c.number],
                "title": [None, c.title],
                "is_key": [None, c.is_key],
                "confidence": [None, c.confidence],
                "source": [None, c.source[:500]],
            },
        )

    # Ratings recorded under the old rules, computed again over the criteria rated then.
    for code in RECOMPUTED:
        fw = frameworks.get(code)
        if fw is None:
            continue
        rules = list(RatingRule.objects.filter(framework=fw))
        key_now = dict(Criterion.objects.filter(standard__framework=fw).values_list("pk", "is_key"))
        criteria = [(n, key_now[pk]) for n, _key, pk in before[code]]
        number_of = {pk: n for n, _key, pk in before[code]}
        assessments = Assessment.objects.filter(framework=fw).exclude(self_result=None, principal_result=None)
        for a in assessments.select_related("unit", "person"):
            self_levels: dict[int, int | None] = {}
            principal_levels: dict[int, int | None] = {}
            for cid, self_level, principal_level in CriterionRating.objects.filter(assessment=a).values_list(
                "criterion_id", "self_level", "principal_level"
            ):
                if cid in number_of:
                    self_levels[number_of[cid]] = self_level
                    principal_levels[number_of[cid]] = principal_level
            diff = {}
            for name, levels in (("self_result", self_levels), ("principal_result", principal_levels)):
                old = getattr(a, name)
                if old is None:
                    continue
                new = rate(levels, criteria, rules, COUNTS[code])
                if new is not None and new != old:
                    setattr(a, name, new)
                    diff[name] = [old, new]
            if diff:
                a.save(update_fields=list(diff))
                AuditLog.objects.create(
                    action="assessment.recompute",
                    source="system",
                    object_type="standards.assessment",
                    object_uuid=a.uuid,
                    object_repr=f"{_name(a.person)} {a.school_year_id}-{a.school_year_id + 1}"[:255],
                    unit_path=a.unit.path,
                    changes=diff,
                    note=fw.circular,
                )


class Migration(migrations.Migration):
    dependencies = [
        ("standards", "0007_framework_criteria_count"),
        ("core", "0002_school_years"),
        ("organisations", "0002_unit_search_text"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
