import pytest

from bdtx.accounts.models import Role
from bdtx.accounts.selectors import scope_for_user
from bdtx.accounts.services import role_assign
from bdtx.core.scope import SYSTEM
from bdtx.core.tests.factories import UserFactory


@pytest.fixture
def office(world):  # type: ignore[no-untyped-def]
    """A member of the commune office xa_a2 (UBND xã Tây), which files the reports of these tests;
    the Sở (so_a) above it reads them."""
    user = UserFactory(username="xa_a2", first_name="xa_a2")
    role_assign(scope=SYSTEM, user=user, unit=world.u("xa_a2"), role=Role.OFFICE_STAFF)
    return user


@pytest.fixture
def office_scope(office):  # type: ignore[no-untyped-def]
    return scope_for_user(office)
