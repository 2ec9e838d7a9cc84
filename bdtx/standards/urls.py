from django.urls import path
from django.views.generic import RedirectView

from bdtx.imports.views import import_moved
from bdtx.standards import views

app_name = "standards"
urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("export.xlsx", views.assessment_export, name="export"),
    path("mine/", views.my_assessment, name="mine"),
    path("preview/", views.rating_preview, name="preview"),
    path("<uuid:uuid>/", views.assessment_detail, name="detail"),
    path("<uuid:uuid>/evaluate/", views.assessment_evaluate, name="evaluate"),
    path("<uuid:uuid>/opinion/", views.opinion_add, name="opinion"),
    path("<uuid:uuid>/evidence/<int:criterion>/", views.evidence_file, name="evidence"),
    path("frameworks/", views.framework_list, name="frameworks"),
    path("frameworks/<uuid:uuid>/", views.framework_detail, name="framework"),
    path("frameworks/<uuid:uuid>/edit/", views.framework_edit, name="framework_edit"),
    path("frameworks/<uuid:uuid>/criteria/<int:number>/", views.criterion_edit, name="criterion_edit"),
    # TEMIS imports moved to the one import pipeline (/imports/): the old addresses redirect.
    path("temis/", RedirectView.as_view(pattern_name="imports:new", query_string=True), {"kind": "temis"}),
    path("temis/<uuid:uuid>/", import_moved),
]
