"""The client's address for throttling: the connection's, or behind trusted proxies the one the
outermost proxy saw (X-Forwarded-For read from the right); what a client writes is never trusted."""

import pytest
from django.test import RequestFactory

from bdtx.core.http import client_ip


def _request(remote="127.0.0.1", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_a_proxy_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = 0
    assert client_ip(_request("203.0.113.7", forwarded="198.51.100.1")) == "203.0.113.7"


def test_behind_one_proxy_the_address_it_saw_counts_not_what_the_client_wrote(settings):
    settings.TRUSTED_PROXIES = 1
    assert client_ip(_request(forwarded="203.0.113.7")) == "203.0.113.7"
    # the client sent "X-Forwarded-For: 10.9.9.9, 1.2.3.4"; nginx appended the address it saw
    assert client_ip(_request(forwarded="10.9.9.9, 1.2.3.4,203.0.113.7")) == "203.0.113.7"


def test_behind_two_proxies_the_second_address_from_the_right(settings):
    settings.TRUSTED_PROXIES = 2
    assert client_ip(_request(forwarded="10.9.9.9, 203.0.113.7, 192.0.2.10")) == "203.0.113.7"


@pytest.mark.parametrize("forwarded", [None, "", "not-an-address", " , "])
def test_a_missing_or_garbled_header_falls_back_to_the_connection(settings, forwarded):
    settings.TRUSTED_PROXIES = 1
    assert client_ip(_request("127.0.0.1", forwarded=forwarded)) == "127.0.0.1"


def test_too_few_entries_for_the_proxies_falls_back_to_the_connection(settings):
    settings.TRUSTED_PROXIES = 2
    assert client_ip(_request("127.0.0.1", forwarded="203.0.113.7")) == "127.0.0.1"


def test_an_ipv6_client_is_written_in_its_canonical_form(settings):
    settings.TRUSTED_PROXIES = 1
    assert client_ip(_request(forwarded="2001:DB8:0:0::1")) == "2001:db8::1"
