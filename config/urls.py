from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("", include("bdtx.home.urls")),
    path("", include("bdtx.core.urls")),
    path("accounts/", include("bdtx.accounts.urls")),
    path("notifications/", include("bdtx.notifications.urls")),
    path("units/", include("bdtx.organisations.urls")),
    path("people/", include("bdtx.people.urls")),
    path("imports/", include("bdtx.imports.urls")),
    path("catalog/", include("bdtx.catalog.urls")),
    path("regimes/", include("bdtx.regimes.urls")),
    path("standards/", include("bdtx.standards.urls")),
    path("plans/", include("bdtx.plans.urls")),
    path("training/", include("bdtx.training.urls")),
    path("results/", include("bdtx.results.urls")),
    path("certificates/", include("bdtx.certificates.urls")),
    path("records/", include("bdtx.records.urls")),
    path("figures/", include("bdtx.summaries.urls")),
    path("reports/year/", include("bdtx.yearreports.urls")),
    path("reports/bieu3/", include("bdtx.bieu3.urls")),
    path("dashboards/", include("bdtx.dashboards.urls")),
    path("surveys/", include("bdtx.surveys.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("api/", include("bdtx.api.urls")),
    path("django-admin/", admin.site.urls),
]

# No route serves MEDIA_ROOT, not even with DEBUG: every uploaded file is read through a view that
# checks the viewer's scope (catalog:material, standards:evidence, imports:import_file).

# Vietnamese error pages in the site's layout, each with a way back (bdtx/core/errors.py).
handler400 = "bdtx.core.errors.bad_request"
handler403 = "bdtx.core.errors.permission_denied"
handler404 = "bdtx.core.errors.page_not_found"
handler500 = "bdtx.core.errors.server_error"
