"""The apps stand in layers and imports only go down (STYLE.md, "Layers"; docs/architecture.md).

The graph is read from the code itself (every `import bdtx.<app>…` outside tests and migrations),
so moving a function to the wrong app fails here, not in a review months later.
"""

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "bdtx"

# Lowest first. An app may import the apps of lower layers, never one of its own layer or above.
LAYERS: list[set[str]] = [
    {"core"},
    {"organisations"},
    {"people"},
    {"accounts"},
    {"notifications"},  # what people are told (in the app, by e-mail); apps register their kinds
    {"imports"},
    {"regimes"},
    {"standards"},
    {"catalog"},
    {"plans"},
    {"training"},
    {"results", "surveys"},  # surveys: learners' feedback on a cohort, anonymous (beside results)
    {"certificates"},  # certificates of recognised results, and their public verification
    {"records"},  # each person's BDTX record: every year, with its result and certificate
    {"summaries"},  # per-unit summaries of a year's figures, kept current by database triggers
    # reports up the tree (issue 11): the yearly results report, Biểu 3, dashboards (beside each other)
    {"yearreports", "bieu3", "dashboards"},
    {"home", "api", "demo"},  # surfaces that gather many apps
]
LEVEL = {app: i for i, layer in enumerate(LAYERS) for app in layer}


def apps() -> set[str]:
    return {p.name for p in ROOT.iterdir() if (p / "apps.py").exists()}


def import_edges() -> dict[tuple[str, str], list[str]]:
    """(importing app, imported app) → where: 'people/views.py:12', leaving tests and migrations out."""
    known = apps()
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for f in ROOT.rglob("*.py"):
        rel = f.relative_to(ROOT).parts
        if len(rel) < 2 or rel[0] not in known or "tests" in rel or "migrations" in rel:
            continue
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module]
            elif isinstance(node, ast.Import):
                modules = [a.name for a in node.names]
            else:
                continue
            for module in modules:
                parts = module.split(".")
                if len(parts) >= 2 and parts[0] == "bdtx" and parts[1] in known and parts[1] != rel[0]:
                    edges[(rel[0], parts[1])].append(f"{'/'.join(rel)}:{node.lineno}")
    return edges


def cycles(edges: dict[tuple[str, str], list[str]]) -> list[list[str]]:
    """Strongly connected components of more than one app (Tarjan)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for a, b in edges:
        graph[a].add(b)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(apps()):
        if v not in index:
            visit(v)
    return out


def test_every_app_has_a_layer():
    assert apps() - set(LEVEL) == set(), "add the new app to LAYERS here and to docs/architecture.md"


def test_no_two_apps_import_each_other_through_a_cycle():
    assert cycles(import_edges()) == []


def test_imports_only_go_down_the_layers():
    upward = {
        f"{a} → {b}": where
        for (a, b), where in import_edges().items()
        if a in LEVEL and b in LEVEL and LEVEL[b] >= LEVEL[a]
    }
    assert upward == {}


def test_the_graph_reader_sees_real_imports():
    """The check above would pass on an empty graph: make sure it reads the code."""
    edges = import_edges()
    assert ("people", "core") in edges and ("plans", "organisations") in edges
    with pytest.raises(AssertionError):
        assert cycles({**edges, ("core", "plans"): ["fake"]}) == []


def _service_modules() -> list[Path]:
    return [
        f
        for f in ROOT.rglob("*.py")
        if (f.name == "services.py" or f.parent.name == "services") and "tests" not in f.parts
    ]


def test_every_write_service_takes_the_scope_it_checks():
    """STYLE.md: every service that changes data checks its own permission from the scope it is given
    (an API, a task or the admin may call it): a transactional public service without `scope` is a bug."""
    missing = []
    for f in _service_modules():
        for node in ast.parse(f.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            atomic = any("atomic" in ast.unparse(d) for d in node.decorator_list)
            params = {a.arg for a in node.args.kwonlyargs}
            if atomic and "scope" not in params:
                missing.append(f"{f.relative_to(ROOT)}:{node.name}")
    assert missing == []


def test_the_service_check_sees_the_services():
    found = {
        node.name
        for f in _service_modules()
        for node in ast.parse(f.read_text(encoding="utf-8")).body
        if isinstance(node, ast.FunctionDef)
    }
    assert {"unit_move", "person_update", "plan_approve", "deadline_set", "role_assign"} <= found


def test_only_core_reads_a_scopes_grants():
    """Permission questions go through Scope's methods (has, holds_at, units_with, sees_sensitive…),
    never through hand-written loops over `scope.grants` that drift apart."""
    loops = [
        f"{f.relative_to(ROOT)}:{n}"
        for f in ROOT.rglob("*.py")
        if "tests" not in f.parts and "migrations" not in f.parts and f.relative_to(ROOT).parts[0] != "core"
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), start=1)
        if ".grants" in line
    ]
    assert loops == []
