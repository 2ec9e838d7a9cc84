from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.middleware.gzip import GZipMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers


class LanguageMiddleware:
    """Vietnamese unless the user picked another language (cookie set by the language switch).

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many Vietnamese
    offices run browsers set to English: the system must still speak Vietnamese to them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.allowed = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.allowed else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class QueryStringGuardMiddleware:
    """A query string holding a NUL character answers 400 Bad Request.

    No parameter ever needs one, and PostgreSQL refuses NUL in any text it compares: every search
    box and filter would otherwise answer 500 to `?q=%00`. One check here covers every view.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any("\x00" in key or "\x00" in value for key, values in request.GET.lists() for value in values):
            return HttpResponseBadRequest("NUL character in the query string")
        return self.get_response(request)


class HtmxVaryMiddleware:
    """Every response says it varies with the HX-Request header.

    A list answers its address with the whole page, and htmx's request for the same address (its
    filters changed) with the table alone. Without `Vary: HX-Request` the browser's cache holds one
    answer for both, and Back to a filtered list (from a person, say) can show the bare table,
    without its filters or its export link. One header here covers every list.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        patch_vary_headers(response, ("HX-Request",))
        return response


class PageGZipMiddleware(GZipMiddleware):
    """Pages and JSON travel gzip-compressed to browsers that accept it; files do not.

    On a slow mobile network a list page of 40 kB costs 0.8 s; compressed, about 6 kB. Static files
    come compressed from WhiteNoise (ahead of this middleware); downloads and uploaded files are
    streamed (FileResponse) or already compressed (.xlsx, .docx, .pdf), so they go as they are, with
    their length.

    BREACH (a secret guessed from the compressed size of pages that also reflect what the attacker
    sends) needs the victim's browser to send thousands of requests with the attacker's input and the
    victim's session. The session cookie is SameSite=Lax, so no other site's page can make such
    requests carry it (tests/test_page_weight.py keeps it so); the CSRF token in a page is masked
    afresh for every response; and Django pads each compressed response with up to 100 random
    bytes (Heal the BREACH).
    """

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        content_type = response.get("Content-Type", "").partition(";")[0].strip().lower()
        if response.streaming or not (content_type.startswith("text/") or content_type.endswith("json")):
            return response
        return super().process_response(request, response)
