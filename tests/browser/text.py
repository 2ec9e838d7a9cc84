"""What the journeys read on the pages: interface strings in Vietnamese, the default language."""

from django.utils import translation


def vi(text: object) -> str:
    """The Vietnamese text of an interface string (or a lazy label), as the page shows it."""
    with translation.override("vi"):
        return translation.gettext(text) if isinstance(text, str) else str(text)
