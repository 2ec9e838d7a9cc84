import pytest

from bdtx.core.templatetags.people_names import who
from bdtx.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_who_names_a_person_an_account_or_the_system(world):
    assert who(None) in ("the system", "hệ thống")
    teacher = world.users["teacher_a1"]
    assert who(teacher) == teacher.person.full_name
    bare = UserFactory(username="nobody", first_name="", last_name="")
    assert who(bare) == "nobody"
