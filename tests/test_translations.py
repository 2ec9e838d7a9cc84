"""Every user-facing string the code marks for translation has its Vietnamese (the default language):
the string literals given to gettext and its kin in the apps' Python code, and the
`{% translate "…" %}` tags of the templates, are looked up in the compiled catalog. New strings are
appended to bdtx/locale/vi/LC_MESSAGES/django.po; a merge or a forgotten entry shows here, not as
English on a Vietnamese page. (`{% blocktranslate %}` blocks are not read here.)"""

import ast
import gettext
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "bdtx"
CATALOG = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.mo"
GETTEXT = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy"}
TAG = re.compile(r'{%\s*(?:translate|trans)\s+"((?:[^"\\]|\\.)*)"(?:\s+context\s+"([^"]*)")?')


def _translated() -> set[str]:
    with CATALOG.open("rb") as f:
        catalog = gettext.GNUTranslations(f)._catalog  # type: ignore[attr-defined]
    return {key[0] if isinstance(key, tuple) else key for key, value in catalog.items() if value}


def _literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def marked_in_code() -> list[tuple[str, int, str]]:
    found = []
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            f = node.func
            name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            if name not in GETTEXT:
                continue
            if name.startswith("pgettext"):
                context, text = (_literal(a) for a in [*node.args, ast.Constant(None)][:2])
                msgid = f"{context}\x04{text}" if context is not None and text is not None else None
            else:
                msgid = _literal(node.args[0])
            if msgid:
                found.append((str(path.relative_to(ROOT)), node.lineno, msgid))
    return found


def marked_in_templates() -> list[tuple[str, int, str]]:
    found = []
    for path in ROOT.rglob("*.html"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for m in TAG.finditer(line):
                text = m.group(1).replace('\\"', '"')
                found.append((str(path.relative_to(ROOT)), number, f"{m.group(2)}\x04{text}" if m.group(2) else text))
    return found


def test_every_marked_string_has_its_vietnamese() -> None:
    translated = _translated()
    marked = marked_in_code() + marked_in_templates()
    assert len(marked) > 3000  # the reader finds the strings (it would pass vacuously otherwise)
    missing = [f"{path}:{line}: {msgid!r}" for path, line, msgid in marked if msgid not in translated]
    assert missing == [], "no Vietnamese in django.po for:\n" + "\n".join(missing)
