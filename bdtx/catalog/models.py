"""Programme content (BD01 by the ministry, BD02 by each province), the module catalogs of
programme 03 versioned by their circular, learning materials, and provinces' focus modules."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bdtx.core.models import (
    BaseModel,
    InForceQuerySet,
    SchoolYear,
    VersionedByYear,
    in_force_q,
    year_range_constraint,
)
from bdtx.core.scope import ScopedQuerySet
from bdtx.core.search import search_q
from bdtx.core.text import fold
from bdtx.organisations.models import SchoolLevel
from bdtx.people.models import Audience
from bdtx.regimes.models import Programme


class Confidence(models.TextChoices):
    VERIFIED = "verified", _("Verified against a source")
    PARTIAL = "partial", _("Partly verified")
    UNVERIFIED = "unverified", _("Not verified")


class Catalog(BaseModel, VersionedByYear):
    """One module catalog as issued by one circular (e.g. GVPT, TT 17/2019)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    circular = models.CharField(_("legal source"), max_length=255)
    audience = models.CharField(_("audience"), max_length=8, choices=Audience.choices)
    completeness_note = models.TextField(_("completeness"), blank=True)

    objects = InForceQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("module catalog")
        verbose_name_plural = _("module catalogs")
        constraints = [year_range_constraint("catalog_year_range")]

    def __str__(self) -> str:
        return f"{self.name} ({self.circular})"

    @property
    def is_complete(self) -> bool:
        """A catalog with a completeness note lacks modules or values that the circular has."""
        return not self.completeness_note.strip()


class ModuleQuerySet(models.QuerySet):
    def in_force(self, school_year: SchoolYear) -> "ModuleQuerySet":
        """Modules offered in that school year: active, in a catalog in force."""
        return self.filter(in_force_q(school_year, prefix="catalog__"), active=True)

    def search(self, text: str) -> "ModuleQuerySet":
        """Diacritic-insensitive search on code and title: 'cong nghe' finds 'công nghệ'."""
        return self.filter(search_q(text, "search_text"))


class Module(BaseModel):
    catalog = models.ForeignKey(Catalog, on_delete=models.PROTECT, related_name="modules")
    code = models.CharField(_("code"), max_length=32)
    title = models.CharField(_("title"), max_length=500)
    audience = models.CharField(_("audience"), max_length=8, choices=Audience.choices)
    levels = models.CharField(
        _("school levels"),
        max_length=64,
        blank=True,
        help_text="',TH,THCS,' — empty means every level of the audience.",
    )
    hours_total = models.PositiveSmallIntegerField(_("periods"), null=True, blank=True)
    hours_theory = models.PositiveSmallIntegerField(_("theory periods"), null=True, blank=True)
    hours_practice = models.PositiveSmallIntegerField(_("practice periods"), null=True, blank=True)
    criteria = models.ManyToManyField(
        "standards.Criterion", blank=True, related_name="modules", verbose_name=_("criteria it serves")
    )
    outcomes = models.TextField(_("required outcomes"), blank=True)
    source = models.TextField(_("source"), blank=True)
    confidence = models.CharField(
        _("confidence"), max_length=16, choices=Confidence.choices, default=Confidence.VERIFIED
    )
    active = models.BooleanField(_("offered"), default=True)
    search_text = models.CharField(max_length=600, blank=True, editable=False)

    objects = ModuleQuerySet.as_manager()

    # Annotated by `catalog.selectors.with_effective_hours` (never stored): the periods a person of
    # a province counts for the module, the ministry's (`hours_total`), else their province's.
    effective_hours: int | None
    local_hours: int | None

    class Meta:
        ordering = ["catalog__code", "code"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        constraints = [models.UniqueConstraint(fields=["catalog", "code"], name="module_code_per_catalog")]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"

    def save(self, *args, **kwargs):
        self.search_text = self.make_search_text(self.code, self.title)
        super().save(*args, **kwargs)

    @staticmethod
    def make_search_text(code: str, title: str) -> str:
        return fold(f"{code} {title}")[:600]

    @property
    def level_list(self) -> list[str]:
        return [lv for lv in self.levels.split(",") if lv]

    @property
    def hours_add_up(self) -> bool:
        """False only when all three hours are known and theory + practice ≠ total."""
        if None in (self.hours_total, self.hours_theory, self.hours_practice):
            return True
        return (self.hours_theory or 0) + (self.hours_practice or 0) == self.hours_total


class MaterialQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"


class Material(BaseModel):
    """Learning material of a module: a file, a link or a video, opened online.

    Owned by the unit that added it: the ministry's materials are for everyone, a province's for
    the people of its province (and whoever manages it).
    """

    class Kind(models.TextChoices):
        FILE = "file", _("File")
        LINK = "link", _("Link")
        VIDEO = "video", _("Video")

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="materials")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255)
    url = models.URLField(_("address"), max_length=1000, blank=True)
    file = models.FileField(_("file"), upload_to="materials/%Y/", blank=True, max_length=255)
    original_filename = models.CharField(_("file name"), max_length=255, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = MaterialQuerySet.as_manager()

    class Meta:
        ordering = ["module", "position", "id"]
        verbose_name = _("learning material")
        verbose_name_plural = _("learning materials")

    def __str__(self) -> str:
        return self.title


class ProgrammeContentQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"

    def applying_to(self, unit_path: str) -> "ProgrammeContentQuerySet":
        """Content set by `unit_path`'s unit or any of its ancestors (the ministry, its province)."""
        ancestors = ["/".join(unit_path.split("/")[: i + 1]) + "/" for i in range(1, unit_path.count("/"))]
        return self.filter(unit__path__in=ancestors)


class ProgrammeContent(BaseModel):
    """A topic of programme 01 (ministry) or 02 (province) for one school year."""

    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="+")
    school_year = models.ForeignKey("core.SchoolYear", on_delete=models.PROTECT, related_name="+")
    programme = models.CharField(_("programme"), max_length=4, choices=Programme.choices)
    audience = models.CharField(
        _("audience"), max_length=8, choices=Audience.choices, blank=True, help_text=_("Empty: everyone.")
    )
    school_level = models.CharField(_("school level"), max_length=4, choices=SchoolLevel.choices, blank=True)
    title = models.CharField(_("title"), max_length=500)
    hours = models.PositiveSmallIntegerField(_("periods"))
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = ProgrammeContentQuerySet.as_manager()

    class Meta:
        ordering = ["school_year", "programme", "position", "id"]
        verbose_name = _("programme content")
        verbose_name_plural = _("programme content")

    def __str__(self) -> str:
        return f"{self.programme} {self.title}"


class FocusModuleQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"


class FocusModule(BaseModel):
    """A module a province wants its people to take in programme 03 this year (seed 003)."""

    unit = models.ForeignKey("organisations.Unit", on_delete=models.CASCADE, related_name="+")
    school_year = models.ForeignKey("core.SchoolYear", on_delete=models.PROTECT, related_name="+")
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="+")
    school_level = models.CharField(_("school level"), max_length=4, choices=SchoolLevel.choices, blank=True)
    priority = models.PositiveSmallIntegerField(default=0)

    objects = FocusModuleQuerySet.as_manager()

    class Meta:
        ordering = ["priority", "id"]
        verbose_name = _("focus module")
        constraints = [
            models.UniqueConstraint(fields=["unit", "school_year", "module", "school_level"], name="focus_module_once")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.school_year}: {self.module.code}"


class ModuleLocalHoursQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"

    def in_force(self, school_year: SchoolYear) -> "ModuleLocalHoursQuerySet":
        return self.filter(in_force_q(school_year))


class ModuleLocalHours(BaseModel, VersionedByYear):
    """The periods a province gives a module whose periods the ministry's catalog does not give.

    Set by the Sở for its province from a school year on, naming the document that decided it
    (e.g. "Công văn số 1234/SGDĐT-GDTrH ngày 15/8/2025"). The ministry's periods always win: once
    the catalog gives the module periods, the province's no longer count (and none can be set).
    """

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="local_hours_set")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.CASCADE, related_name="+")
    hours = models.PositiveSmallIntegerField(_("periods"))
    source = models.CharField(_("decided by (document)"), max_length=500)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(_("set at"))

    objects = ModuleLocalHoursQuerySet.as_manager()

    class Meta:
        ordering = ["unit", "module", "first_year"]
        verbose_name = _("periods of a module set by a province")
        verbose_name_plural = _("periods of modules set by provinces")
        constraints = [
            models.UniqueConstraint(fields=["module", "unit", "first_year"], name="module_local_hours_once_a_year"),
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="module_local_hours_positive"),
            year_range_constraint("module_local_hours_year_range"),
        ]

    def __str__(self) -> str:
        return f"{self.module.code} {self.unit}: {self.hours}"
