"""Notifications: one per user and event however often it is told, e-mailed once by the worker,
the user's switches (in the app, by e-mail), the pages (only one's own; the bell's count; constant
queries), and the events the services tell."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bdtx.accounts.selectors import scope_for_user
from bdtx.core.tests.factories import UserFactory
from bdtx.notifications import services
from bdtx.notifications.models import Notification, NotificationPreference
from bdtx.notifications.services import notify

pytestmark = pytest.mark.django_db


def tell(user, key="e1", kind="plan.returned", **kw):  # type: ignore[no-untyped-def]
    return notify(
        user_ids=[user.pk],
        kind=kind,
        event_key=key,
        title=kw.pop("title", "Kế hoạch %(year)s"),
        body="Nội dung",
        url="/plans/mine/",
        params={"year": "2026-2027"},
        **kw,
    )


def test_the_same_event_notifies_once_and_emails_once(world, django_capture_on_commit_callbacks, mailoutbox):
    user = world.users["teacher_a1"]
    with django_capture_on_commit_callbacks(execute=True):
        tell(user)
    with django_capture_on_commit_callbacks(execute=True):
        tell(user)
        tell(user)
    n = Notification.objects.get(user=user)
    assert (n.title, n.kind, n.in_app, n.email_pending) == ("Kế hoạch 2026-2027", "plan.returned", True, False)
    assert n.emailed_at is not None
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [user.email] and "Kế hoạch 2026-2027" in mailoutbox[0].subject
    assert "/plans/mine/" in mailoutbox[0].body
    # a retried task finds nothing left to send
    assert services.notification_emails_send() == 0 and len(mailoutbox) == 1


def test_a_new_event_of_the_same_kind_notifies_again(world):
    user = world.users["teacher_a1"]
    tell(user, "e1")
    tell(user, "e2")
    assert Notification.objects.filter(user=user).count() == 2


def test_texts_are_written_in_vietnamese_whatever_the_language_of_the_request(world):
    from django.utils import translation
    from django.utils.translation import gettext_lazy as _

    with translation.override("en"):
        tell(world.users["teacher_a1"], title=_("Your BDTX plan for %(year)s was returned"))
    assert Notification.objects.get().title == "Kế hoạch BDTX năm học 2026-2027 của bạn đã bị trả lại"


def test_a_user_who_switched_email_off_gets_no_email(world, django_capture_on_commit_callbacks, mailoutbox):
    user = world.users["teacher_a1"]
    services.notification_preferences_set(scope=scope_for_user(user), choices={"plan.returned": (True, False)})
    with django_capture_on_commit_callbacks(execute=True):
        tell(user)
    n = Notification.objects.get(user=user)
    assert n.in_app and n.emailed_at is None and mailoutbox == []


def test_a_user_who_switched_the_app_off_sees_nothing_but_gets_the_email(
    world, django_capture_on_commit_callbacks, mailoutbox, login, client
):
    user = world.users["teacher_a1"]
    services.notification_preferences_set(scope=scope_for_user(user), choices={"plan.returned": (False, True)})
    with django_capture_on_commit_callbacks(execute=True):
        tell(user)
    assert len(mailoutbox) == 1
    login(user)
    assert client.get(reverse("notifications:unread")).json() == {"unread": 0}
    assert "Kế hoạch 2026-2027" not in client.get(reverse("notifications:list")).content.decode()
    # and the event stays told: switching the app back on does not bring it again
    services.notification_preferences_set(scope=scope_for_user(user), choices={"plan.returned": (True, True)})
    tell(user)
    assert Notification.objects.filter(user=user).count() == 1


def test_a_kind_off_by_email_by_default_is_emailed_only_when_asked(
    world, django_capture_on_commit_callbacks, mailoutbox
):
    user = world.users["teacher_a1"]
    with django_capture_on_commit_callbacks(execute=True):
        tell(user, kind="completion.approved")
    assert mailoutbox == []
    services.notification_preferences_set(scope=scope_for_user(user), choices={"completion.approved": (True, True)})
    with django_capture_on_commit_callbacks(execute=True):
        tell(user, "e2", kind="completion.approved")
    assert len(mailoutbox) == 1


def test_a_user_without_an_address_is_skipped_and_nobody_is_told_twice(
    world, django_capture_on_commit_callbacks, mailoutbox
):
    nomail = UserFactory(username="nomail", email="")
    with django_capture_on_commit_callbacks(execute=True):
        notify(user_ids=[nomail.pk, None, nomail.pk], kind="plan.approved", event_key="x", title="T")
    assert Notification.objects.filter(user=nomail).count() == 1 and mailoutbox == []
    assert not Notification.objects.filter(email_pending=True).exists()


def test_a_refused_email_waits_for_the_next_run(world, django_capture_on_commit_callbacks, mailoutbox, monkeypatch):
    user = world.users["teacher_a1"]
    from django.core.mail.backends.locmem import EmailBackend

    def refuse(self, messages):  # type: ignore[no-untyped-def]
        raise OSError("mail server down")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        tell(user)
    n = Notification.objects.get(user=user)
    assert n.email_pending and n.emailed_at is None
    monkeypatch.undo()
    assert services.notification_emails_send() == 1 and len(mailoutbox) == 1


# --- pages ---------------------------------------------------------------------------------------


def test_the_bell_counts_unread_and_opening_marks_read(world, login, client):
    user = world.users["teacher_a1"]
    tell(user, "a")
    tell(user, "b")
    tell(world.users["principal_a1"], "a")
    login(user)
    page = client.get(reverse("home:home")).content.decode()
    assert reverse("notifications:unread") in page  # the bell, on every page
    assert client.get(reverse("notifications:unread")).json() == {"unread": 2}
    n = Notification.objects.filter(user=user).first()
    assert n is not None
    r = client.get(reverse("notifications:open", kwargs={"uuid": n.uuid}))
    assert r.status_code == 302 and r["Location"] == "/plans/mine/"
    assert client.get(reverse("notifications:unread")).json() == {"unread": 1}
    client.post(reverse("notifications:read_all"))
    assert client.get(reverse("notifications:unread")).json() == {"unread": 0}
    assert Notification.objects.filter(user=world.users["principal_a1"], read_at__isnull=True).count() == 1


def test_another_users_notification_is_a_404(world, login, client):
    tell(world.users["principal_a1"])
    theirs = Notification.objects.get()
    login(world.users["teacher_a1"])
    assert client.get(reverse("notifications:open", kwargs={"uuid": theirs.uuid})).status_code == 404
    assert client.post(reverse("notifications:read", kwargs={"uuid": theirs.uuid})).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert theirs.title not in client.get(reverse("notifications:list")).content.decode()


def test_a_url_outside_the_site_is_never_followed(world, login, client):
    user = world.users["teacher_a1"]
    notify(user_ids=[user.pk], kind="plan.approved", event_key="x", title="T", url="//evil.example/")
    login(user)
    n = Notification.objects.get()
    assert client.get(reverse("notifications:open", kwargs={"uuid": n.uuid}))["Location"] == "/notifications/"


def _queries(client, url):  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_list_is_newest_first_paged_and_takes_the_same_queries(world, login, client):
    user = world.users["teacher_a1"]
    login(user)
    tell(user, "first", title="Thông báo đầu")
    few = _queries(client, reverse("notifications:list"))
    for i in range(30):
        tell(user, f"k{i}", title=f"Thông báo {i}")
    Notification.objects.filter(event_key="k29").update(created_at=timezone.now() + timedelta(minutes=1))
    assert _queries(client, reverse("notifications:list")) == few
    page = client.get(reverse("notifications:list")).content.decode()
    assert page.index("Thông báo 29") < page.index("Thông báo 28")
    assert "Thông báo đầu" not in page  # on the second page
    assert "Thông báo đầu" in client.get(reverse("notifications:list") + "?page=2").content.decode()


def test_the_settings_page_switches_a_kind(world, login, client):
    user = world.users["teacher_a1"]
    login(user)
    page = client.get(reverse("notifications:settings")).content.decode()
    assert 'name="email:plan.returned" checked' in page
    form = {"in_app:plan.returned": "on"}  # e-mail off for plan.returned; everything else off too
    assert client.post(reverse("notifications:settings"), form).status_code == 302
    pref = NotificationPreference.objects.get(user=user, kind="plan.returned")
    assert (pref.in_app, pref.email) == (True, False)
    assert NotificationPreference.objects.get(user=user, kind="plan.approved").in_app is False
    # back to the defaults: the rows go
    everything = {f"{w}:{k}": "on" for w in ("in_app", "email") for k in ("plan.returned", "plan.approved")}
    client.post(reverse("notifications:settings"), everything)
    assert not NotificationPreference.objects.filter(user=user, kind__in=["plan.returned", "plan.approved"]).exists()


LEARNERS_KINDS = {"plan.returned", "plan.approved", "deadline.personal_plan", "question.answered", "survey.waiting"}
DECIDERS_KINDS = {"unit_plan.returned", "deadline.plans_to_approve", "results.returned", "results.recognised"}


def _offered(client) -> set[str]:  # type: ignore[no-untyped-def]
    import re

    page = client.get(reverse("notifications:settings")).content.decode()
    return set(re.findall(r'name="in_app:([a-z_.]+)"', page))


def test_the_settings_offer_a_learner_only_what_can_concern_them(world, login):
    offered = _offered(login(world.users["teacher_a1"]))
    assert offered >= LEARNERS_KINDS
    assert not offered & (DECIDERS_KINDS | {"completion.returned", "unit_plan.approved", "deadline.unit_plan"})


def test_the_settings_offer_a_principal_the_unit_plans_and_an_organiser_the_completion_lists(world, login):
    principal = _offered(login(world.users["principal_a1"]))
    assert principal >= LEARNERS_KINDS | DECIDERS_KINDS
    assert {"completion.returned", "completion.approved"} <= _offered(login(world.users["institution"]))
    assert not DECIDERS_KINDS & _offered(login(world.users["institution"]))


def test_saving_the_settings_leaves_a_kind_not_offered_as_it_was(world, login):
    user = world.users["teacher_a1"]
    NotificationPreference.objects.create(user=user, kind="unit_plan.returned", in_app=False, email=True)
    client = login(user)
    assert client.post(reverse("notifications:settings"), {}).status_code == 302  # everything offered off
    assert NotificationPreference.objects.filter(user=user, kind="survey.waiting", in_app=False).exists()
    kept = NotificationPreference.objects.get(user=user, kind="unit_plan.returned")
    assert (kept.in_app, kept.email) == (False, True)
