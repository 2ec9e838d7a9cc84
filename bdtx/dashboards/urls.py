"""URLs of the dashboards app."""

from django.urls import URLPattern, URLResolver, path

from bdtx.dashboards import views

app_name = "dashboards"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.dashboard_home, name="home"),
    path("<uuid:uuid>/", views.dashboard_detail, name="detail"),
    path("<uuid:uuid>/xlsx/", views.dashboard_xlsx, name="xlsx"),  # ?table=units&year=2026
]
