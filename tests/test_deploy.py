"""A production deploy works as docs/deploy.md says: the static files collect with the hashed
(manifest) storage, and `check --deploy` with the production settings reports no error."""

import os
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command
from django.test import override_settings

ROOT = Path(__file__).resolve().parent.parent


def test_collectstatic_with_hashed_names_finds_every_file_the_static_files_refer_to(tmp_path):
    """ManifestStaticFilesStorage rewrites url(…) and sourceMappingURL references and fails on a
    missing target (a vendored file naming a .map that is not in the repository)."""
    storages = {
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    with override_settings(STORAGES=storages, STATIC_ROOT=tmp_path):
        call_command("collectstatic", interactive=False, verbosity=0)
    assert (tmp_path / "staticfiles.json").exists()
    assert list(tmp_path.glob("bdtx/bdtx.*.css"))


def test_check_deploy_with_the_production_settings_reports_no_error(tmp_path):
    # a server's environment, not this test run's (the browser tests' conftest sets DJANGO_ALLOW_ASYNC_UNSAFE)
    env = {
        **{k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "a-long-random-secret-for-the-check-only-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "bdtx.example.vn",
        "BDTX_VAR_DIR": str(tmp_path),
        "DJANGO_EMAIL_HOST": "smtp.example.vn",
    }
    r = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "ERROR"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stdout + r.stderr
