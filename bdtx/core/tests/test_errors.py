"""Error pages are Vietnamese, inside the site's layout, and offer a way back (issue 8: Django's bare
English 403 and the technical 404 were dead ends)."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _is_site_page(text: str) -> bool:
    return 'class="navbar' in text and reverse("home:home") in text


def test_404_is_vietnamese_with_a_way_home(world, login):
    r = login(world.users["teacher_a1"]).get("/khong-co-trang-nay/")
    assert r.status_code == 404
    assert "Lỗi 404" in r.text and "Không tìm thấy trang" in r.text and "Về trang chủ" in r.text
    assert _is_site_page(r.text)
    assert "Page not found" not in r.text and "Not Found" not in r.text


def test_404_offers_the_page_the_person_came_from_when_it_is_ours(world, login):
    c = login(world.users["teacher_a1"])
    r = c.get("/khong-co/", HTTP_REFERER="http://testserver/plans/mine/")
    assert 'href="http://testserver/plans/mine/"' in r.text and "Quay lại trang trước" in r.text
    r = c.get("/khong-co/", HTTP_REFERER="https://evil.example/")
    assert "evil.example" not in r.text and "Quay lại trang trước" not in r.text


def test_403_is_vietnamese_and_says_whom_to_ask(world, login):
    # a teacher opening the audit log: inside the site, without the permission
    r = login(world.users["teacher_a1"]).get(reverse("core:audit"))
    assert r.status_code == 403
    assert "Bạn không có quyền" in r.text and "Về trang chủ" in r.text
    assert _is_site_page(r.text) and "Forbidden" not in r.text


def test_400_is_vietnamese(world, login, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    r = Client().get("/", HTTP_HOST="bad host")
    assert r.status_code == 400
    assert "Yêu cầu không hợp lệ" in r.text and "Bad Request" not in r.text


def test_csrf_failure_is_vietnamese_and_says_what_to_do(world):
    c = Client(enforce_csrf_checks=True)
    r = c.post(reverse("accounts:login"), {"username": "x", "password": "y"})
    assert r.status_code == 403
    assert "Biểu mẫu đã hết hạn" in r.text and "tải lại trang" in r.text
    assert "CSRF cookie" not in r.text and "Forbidden" not in r.text


@override_settings(DEBUG=False)
def test_500_is_vietnamese_without_the_request_context(world, login, monkeypatch):
    from bdtx.core import views

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "select_audit", boom)
    c = login(world.users["so_a"])
    c.raise_request_exception = False
    r = c.get(reverse("core:audit"))
    assert r.status_code == 500
    assert "Đã có lỗi ở phía hệ thống" in r.text and "Về trang chủ" in r.text
    assert "boom" not in r.text and "Traceback" not in r.text
