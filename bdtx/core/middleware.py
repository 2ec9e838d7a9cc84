from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
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
