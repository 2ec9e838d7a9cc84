"""URLs of the results app."""

from django.urls import URLPattern, URLResolver, path

from bdtx.results import views

app_name = "results"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.school_results_home, name="school"),
    path("recognise/", views.recognition_list, name="recognise"),
    path("units/<uuid:uuid>/", views.school_results, name="unit"),
    path("<uuid:uuid>/", views.result_detail, name="detail"),
]
