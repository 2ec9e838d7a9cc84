"""Uploaded files are never served from MEDIA_ROOT by URL: each file field is read through a view
that resolves its object in the viewer's scope (404 outside), and no route maps /media/."""

import importlib

from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import override_settings
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

import config.urls

# Every FileField of the project → the view that serves it after checking the scope. A new file
# field fails here until it has such a view (with its outsider test, 404) and is added to this map.
SERVED_BY = {
    "catalog.Material.file": "catalog:material",
    "standards.CriterionRating.evidence_file": "standards:evidence",
    "imports.ImportJob.file": "imports:file",
    "training.QuestionMessage.file": "training:question_file",
    "training.PracticeWork.file": "training:practice_file",
    "training.ApplicationEvidence.file": "training:evidence_file",
    "certificates.Issuer.background": "certificates:issuer_background",
    "certificates.IssueJob.pdf": "certificates:job_pdf",
    "certificates.IssueJob.archive": "certificates:job_zip",
}


def test_every_file_field_has_a_view_that_checks_the_scope():
    fields = {
        f"{m._meta.app_label}.{m.__name__}.{f.name}"
        for m in apps.get_models()
        if m._meta.app_label in {a.label for a in apps.get_app_configs() if a.name.startswith("bdtx.")}
        for f in m._meta.get_fields()
        if isinstance(f, models.FileField)
    }
    assert fields == set(SERVED_BY)
    names = set()
    for _prefix, resolver in get_resolver().namespace_dict.values():
        names |= {f"{resolver.namespace}:{n}" for n in resolver.reverse_dict if isinstance(n, str)}
    assert set(SERVED_BY.values()) <= names


def _routes(patterns: list, prefix: str = "") -> list[str]:
    out = []
    for p in patterns:
        if isinstance(p, URLResolver):
            out += _routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            out.append(prefix + str(p.pattern))
    return out


def test_no_route_serves_the_media_directory_even_in_debug():
    try:
        with override_settings(DEBUG=True):
            urls = importlib.reload(config.urls)
            routes = _routes(urls.urlpatterns)
    finally:
        importlib.reload(config.urls)
    media = settings.MEDIA_URL.strip("/")
    assert routes and not [r for r in routes if media in r]


def test_a_media_path_answers_no_file():
    path = f"/{settings.MEDIA_URL.strip('/')}/imports/2025/01/danh-sach.xlsx"
    try:
        match = resolve(path)
    except Resolver404:
        return
    raise AssertionError(f"{path} resolves to {match.view_name}")
