"""No button to a 403: every link on each role's landing page, and on the pages of the units where
it holds its role, opens for that user."""

import pytest

from bdtx.home.tests.links import broken_links, start_pages

pytestmark = pytest.mark.django_db

USERS = [
    "sysadmin",
    "ministry",
    "so_a",
    "so_b",
    "xa_a1",
    "principal_a1",
    "principal_b1",
    "teacher_a1",
    "mentor_a1",
    "institution",
    "norole",
]


@pytest.mark.parametrize("username", USERS)
def test_every_link_on_the_landing_page_opens_for_its_user(world, client, username):
    user = world.users[username]
    client.force_login(user)
    broken, opened = broken_links(client, start_pages(user))
    assert opened >= 3
    assert not broken, "\n".join(broken)
