"""URLs of the bieu3 app."""

from django.urls import URLPattern, URLResolver

app_name = "bieu3"

urlpatterns: list[URLPattern | URLResolver] = []
