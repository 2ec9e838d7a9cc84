"""The training tests' fixtures (a test catalog's modules)."""

from bdtx.training.tests.conftest import mods  # noqa: F401
