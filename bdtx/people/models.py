"""Staff records: the person, and where and as what they work in each school year."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, Expression, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from bdtx.core.models import BaseModel, SchoolYear
from bdtx.core.scope import Scope, ScopedQuerySet, path_within_q
from bdtx.core.search import search_q, search_rank
from bdtx.core.text import fold, nfc, vn_sort_key
from bdtx.organisations.models import SchoolLevel, Unit


class Ethnicity(models.Model):
    """The 54 ethnic groups by their official code (QĐ 121-TCTK/PPCĐ, 1979), with name variants."""

    code = models.CharField(max_length=2, primary_key=True)
    name = models.CharField(max_length=64)
    aliases = models.TextField(blank=True, help_text="Variant spellings separated by ';'.")

    class Meta:
        ordering = ["code"]
        verbose_name = _("ethnicity")
        verbose_name_plural = _("ethnicities")

    def __str__(self) -> str:
        return self.name

    @property
    def is_minority(self) -> bool:
        return self.code != KINH_CODE


KINH_CODE = "01"


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class StaffType(models.TextChoices):
    TEACHER = "GV", _("Teacher")
    MANAGER = "CBQL", _("Manager")


class Audience(models.TextChoices):
    """Who a standard, catalog, module or content item is for: teachers or managers, preschool or general school."""

    GVMN = "GVMN", _("Preschool teachers")
    QLMN = "QLMN", _("Preschool managers")
    GVPT = "GVPT", _("General-school teachers")
    QLPT = "QLPT", _("General-school managers")

    @classmethod
    def fits_level(cls, audience: str, level: str) -> bool:
        """Whether content for `audience` can be for `level` (preschool audiences for MN only);
        either left empty fits everything."""
        if not level or not audience:
            return True
        return (level == SchoolLevel.MN) == (audience in (cls.GVMN, cls.QLMN))

    @classmethod
    def for_staff(cls, *, staff_type: str, school_level: str) -> str:
        preschool = school_level == SchoolLevel.MN
        if staff_type == StaffType.MANAGER:
            return cls.QLMN if preschool else cls.QLPT
        return cls.GVMN if preschool else cls.GVPT


class Position(models.TextChoices):
    TEACHER = "giao_vien", _("Teacher")
    GROUP_HEAD = "to_truong", _("Subject-group head")
    GROUP_DEPUTY = "to_pho", _("Subject-group deputy")
    YOUTH_LEADER = "tong_phu_trach", _("Young Pioneers leader")
    VICE_PRINCIPAL = "pho_hieu_truong", _("Vice-principal")
    PRINCIPAL = "hieu_truong", _("Principal")
    VICE_DIRECTOR = "pho_giam_doc", _("Deputy director")
    DIRECTOR = "giam_doc", _("Director")

    @classmethod
    def manager_positions(cls) -> set[str]:
        return {cls.VICE_PRINCIPAL, cls.PRINCIPAL, cls.VICE_DIRECTOR, cls.DIRECTOR}


class ContractType(models.TextChoices):
    CIVIL_SERVANT = "bien_che", _("Permanent (biên chế)")
    CONTRACT = "hop_dong", _("Contract")


class EmploymentStatus(models.TextChoices):
    WORKING = "working", _("Working")
    LEAVE = "leave", _("On leave")
    RETIRED = "retired", _("Retired")
    TRANSFERRED = "transferred", _("Transferred out")
    LEFT = "left", _("Left the service")


class PersonQuerySet(ScopedQuerySet):
    scope_person_field = "pk"

    def visible_to(self, scope: Scope, permission: str | None = None) -> "PersonQuerySet":
        """A person is visible where any of their yearly employments is; a learner sees themself."""
        paths = scope.paths(permission)
        inside = Employment.objects.filter(person=OuterRef("pk")).filter(
            path_within_q("unit__path", paths, self._vendor())
        )
        q = Q(Exists(inside))
        if permission is None and scope.person_id:
            q |= Q(pk=scope.person_id)
        return self.filter(q)

    def within(self, *prefixes: str) -> "PersonQuerySet":
        """People employed (in any school year) under any of these subtree paths."""
        inside = Employment.objects.filter(person=OuterRef("pk")).filter(
            path_within_q("unit__path", prefixes, self._vendor())
        )
        return self.filter(Exists(inside))

    def search(self, text: str) -> "PersonQuerySet":
        """Diacritic-insensitive search on name, phone and e-mail (never the ID number)."""
        return self.filter(search_q(text, "search_text"))


def person_search_rank(text: str | None, prefix: str = "") -> Expression:
    """`search_rank` of a search of people by `search_text`: their given name first ("hoa": every
    Hoa, Hòa, Hóa), then the whole word anywhere in the name (Thanh Hoa), then names with a word
    that starts with it (Hoàng), then the rest (Khoa). Sort by it, then by `sort_key`."""
    return search_rank(text, f"{prefix}search_text", exact=F(f"{prefix}search_given"))


class Person(BaseModel):
    family_name = models.CharField(_("family name"), max_length=64)
    middle_name = models.CharField(_("middle name"), max_length=64, blank=True)
    given_name = models.CharField(_("given name"), max_length=64)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    ethnicity = models.ForeignKey(
        Ethnicity, verbose_name=_("ethnicity"), null=True, blank=True, on_delete=models.PROTECT
    )
    personal_id = models.CharField(_("personal ID number"), max_length=12, null=True, blank=True, unique=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    sort_key = models.CharField(max_length=255, db_index=True, editable=False)
    search_text = models.CharField(max_length=255, editable=False)
    # the given name folded: a search ranks the people whose given name it names first
    search_given = models.CharField(max_length=64, editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["sort_key"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.family_name, self.middle_name, self.given_name) if p)

    def refresh_derived(self) -> None:
        """Normalise names, phone and e-mail (`nfc`: NFC, no zero-width or bidirectional controls) and
        recompute the sort and search keys. Every write of a person goes through here (save, bulk)."""
        self.family_name = nfc(self.family_name)
        self.middle_name = nfc(self.middle_name)
        self.given_name = nfc(self.given_name)
        self.phone = nfc(self.phone)
        self.email = nfc(self.email)
        self.sort_key = vn_sort_key(self.given_name, self.family_name, self.middle_name)[:255]
        self.search_text = fold(f"{self.full_name} {self.phone} {self.email}")[:255]
        self.search_given = fold(self.given_name)[:64]

    def save(self, *args, **kwargs):
        self.refresh_derived()
        super().save(*args, **kwargs)


def difficult_area_q(value: bool = True, prefix: str = "") -> Q:
    """Employments (reached through `prefix`, e.g. "person__employments__") whose post is — or, with
    `value` False, is not — in a difficult area: their own value, or the unit's when they have none.

    A plain condition on the employment and its unit, so a breakdown stays one aggregate query
    (`Count("pk", filter=difficult_area_q())`) and a list filter one WHERE clause; it is
    `Coalesce(difficult_area, unit.difficult_area) = value` written so that indexes can serve it.
    """
    return Q(**{f"{prefix}difficult_area": value}) | Q(
        **{f"{prefix}difficult_area__isnull": True, f"{prefix}unit__difficult_area": value}
    )


class EmploymentQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"
    scope_person_field = "person_id"


class Employment(BaseModel):
    """Where and as what a person works in one school year. History stays when people move."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="employments")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="employments")
    staff_type = models.CharField(_("staff type"), max_length=4, choices=StaffType.choices, default=StaffType.TEACHER)
    position = models.CharField(_("position"), max_length=32, choices=Position.choices, default=Position.TEACHER)
    school_level = models.CharField(_("school level"), max_length=4, choices=SchoolLevel.choices, blank=True)
    subjects = models.CharField(_("subjects"), max_length=255, blank=True)
    is_mentor = models.BooleanField(_("core teacher (cốt cán)"), default=False)
    contract_type = models.CharField(
        _("contract"), max_length=16, choices=ContractType.choices, default=ContractType.CIVIL_SERVANT
    )
    status = models.CharField(
        _("status"), max_length=16, choices=EmploymentStatus.choices, default=EmploymentStatus.WORKING
    )
    # Difficult area (vùng khó khăn) belongs to the post, not only to the school: a teacher at a
    # school's satellite site (điểm trường) in a difficult village works in a difficult area though
    # the school is not listed as one. None: as the unit (`in_difficult_area`, `difficult_area_q`).
    difficult_area = models.BooleanField(
        _("difficult area"),
        null=True,
        blank=True,
        default=None,
        help_text=_("Empty: as the unit."),
    )

    objects = EmploymentQuerySet.as_manager()

    class Meta:
        ordering = ["person__sort_key"]
        verbose_name = _("employment")
        verbose_name_plural = _("employments")
        constraints = [
            models.UniqueConstraint(fields=["person", "school_year"], name="one_employment_per_person_year"),
        ]
        indexes = [models.Index(fields=["school_year", "unit"], name="employment_year_unit")]

    def __str__(self) -> str:
        return f"{self.person} — {self.unit} ({self.school_year_id})"

    @property
    def in_difficult_area(self) -> bool:
        """Whether this post counts as in a difficult area: its own value, else the unit's."""
        return self.unit.difficult_area if self.difficult_area is None else self.difficult_area
