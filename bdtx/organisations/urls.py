from django.urls import path

from bdtx.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.unit_list, name="list"),
    path("export.xlsx", views.unit_export, name="export"),
    path("<uuid:uuid>/letterhead/", views.unit_letterhead, name="letterhead"),
]
