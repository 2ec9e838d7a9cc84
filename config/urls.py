from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("bdtx.core.urls")),
    path("accounts/", include("bdtx.accounts.urls")),
    path("units/", include("bdtx.organisations.urls")),
    path("people/", include("bdtx.people.urls")),
    path("imports/", include("bdtx.imports.urls")),
    path("catalog/", include("bdtx.catalog.urls")),
    path("regimes/", include("bdtx.regimes.urls")),
    path("standards/", include("bdtx.standards.urls")),
    path("plans/", include("bdtx.plans.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("bdtx.api.urls")),
    path("django-admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
