"""The training tests' fixtures (a test catalog's modules and approved plans holding them)."""

from bdtx.training.tests.conftest import mods  # noqa: F401
