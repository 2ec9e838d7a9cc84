from django.urls import path
from django.views.generic import RedirectView

from bdtx.catalog import views
from bdtx.imports.views import import_moved

app_name = "catalog"
urlpatterns = [
    path("modules/", views.module_list, name="modules"),
    path("modules/<uuid:uuid>/", views.module_detail, name="module"),
    path("modules/<uuid:uuid>/edit/", views.module_edit, name="module_edit"),
    path("modules/<uuid:uuid>/materials/", views.material_add, name="material_add"),
    path("materials/<uuid:uuid>/", views.material_open, name="material"),
    path("materials/<uuid:uuid>/remove/", views.material_remove, name="material_remove"),
    path("periods/", views.local_hours_mine, name="local_hours_mine"),
    path("provinces/<uuid:uuid>/periods/", views.local_hours, name="local_hours"),
    path("provinces/<uuid:uuid>/periods/<uuid:module>/", views.local_hours_set, name="local_hours_set"),
    path("provinces/<uuid:uuid>/periods/<uuid:module>/clear/", views.local_hours_clear, name="local_hours_clear"),
    path("catalogs/", views.catalog_list, name="catalogs"),
    path("catalogs/<uuid:uuid>/edit/", views.catalog_edit, name="catalog_edit"),
    path("catalogs/<uuid:uuid>/export/", views.catalog_export, name="export"),
    # Catalog imports moved to the one import pipeline (/imports/): the old addresses redirect.
    path("imports/new/", RedirectView.as_view(pattern_name="imports:new", query_string=True), {"kind": "catalog"}),
    path("imports/<uuid:uuid>/", import_moved),
    path("content/", views.content_list, name="content"),
    path("content/new/", views.content_new, name="content_new"),
    path("content/<uuid:uuid>/edit/", views.content_edit, name="content_edit"),
    path("content/<uuid:uuid>/delete/", views.content_delete, name="content_delete"),
    path("focus/new/", views.focus_new, name="focus_new"),
    path("focus/<uuid:uuid>/delete/", views.focus_delete, name="focus_delete"),
]
