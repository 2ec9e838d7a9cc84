"""URLs of the yearreports app."""

from django.urls import URLPattern, URLResolver

app_name = "yearreports"

urlpatterns: list[URLPattern | URLResolver] = []
