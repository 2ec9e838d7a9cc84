"""URLs of the certificates app."""

from django.urls import URLPattern, URLResolver

app_name = "certificates"

urlpatterns: list[URLPattern | URLResolver] = []
