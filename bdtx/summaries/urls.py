"""URLs of the summaries app (under /figures/)."""

from django.urls import URLPattern, URLResolver, path

from bdtx.summaries import views

app_name = "summaries"

urlpatterns: list[URLPattern | URLResolver] = [
    path("jobs/<uuid:uuid>/", views.progress, name="progress"),
]
