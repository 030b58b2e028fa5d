"""The layers' import direction is a contract: a module imports its own layer and the layers
below it, never one above. Read from the source (imports inside functions count too), so a
newcomer learns where a thing may live from one table, and `make check` holds it."""

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"

# Top to bottom. A module belongs to the layer of the longest prefix that names it.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("wiring", ("app.main", "app.cli", "app.__main__", "app.lifespan", "app.demo")),
    ("HTTP", ("app.routers", "app.resident_lane.asgi")),
    (
        "web support",
        (
            "app.dependencies",
            "app.forms",
            "app.errors",
            "app.templating",
            "app.boundary",
            "app.live_views",
        ),
    ),
    ("domain", ("app.services",)),
    ("infrastructure", ("app.live", "app.resident_lane", "app.db", "app.pgcheck")),
    # The domain's errors are the vocabulary every layer refuses with: at the bottom.
    ("definitions", ("app.models", "app.schemas", "app.config", "app.services.errors")),
]


def layer_of(module: str) -> int:
    best, depth = -1, -1
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > depth:
                best, depth = index, len(prefix)
    assert best >= 0, f"{module} is in no layer: add it to LAYERS"
    return best


def module_name(path: Path) -> str:
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> set[str]:
    package = module_name(path) if path.name == "__init__.py" else module_name(path.parent)
    return imports_in(path.read_text(), package)


def imports_in(source: str, package: str) -> set[str]:
    """Every `app…` module a source imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            # `from app.routers import health` imports the module app.routers.health.
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in found if name == "app" or name.startswith("app.")}


def _is_module(name: str) -> bool:
    relative = Path(*name.split(".")[1:]) if "." in name else Path()
    return (APP / relative).with_suffix(".py").exists() or (APP / relative / "__init__.py").exists()


def _is_package(name: str) -> bool:
    return (APP / Path(*name.split(".")[1:]) / "__init__.py").exists()


def violations() -> list[str]:
    found = []
    for path in sorted(APP.rglob("*.py")):
        source = module_name(path)
        if source == "app":
            continue
        own = layer_of(source)
        for target in sorted(imported(path)):
            if not _is_module(target) or target == "app":
                continue
            if layer_of(target) < own:
                found.append(
                    f"{source} ({LAYERS[own][0]}) imports {target} ({LAYERS[layer_of(target)][0]})"
                )
    return found


def test_no_module_imports_a_layer_above_it() -> None:
    assert violations() == []


def test_no_router_imports_another_router() -> None:
    routers = [p for p in (APP / "routers").rglob("*.py") if p.name != "__init__.py"]
    found = [
        f"{module_name(p)} imports {target}"
        for p in routers
        for target in imported(p)
        if target.startswith("app.routers.")
        and _is_module(target)
        and not _is_package(target)
        and target != module_name(p)
    ]
    assert found == []


@pytest.mark.parametrize(
    ("module", "layer"),
    [
        ("app.main", "wiring"),
        ("app.routers.health", "HTTP"),
        ("app.resident_lane.asgi", "HTTP"),
        ("app.resident_lane.writer", "infrastructure"),
        ("app.services.events", "domain"),
        ("app.models.events", "definitions"),
    ],
)
def test_the_table_places_modules_by_their_longest_prefix(module: str, layer: str) -> None:
    assert LAYERS[layer_of(module)][0] == layer


def test_the_reader_sees_imports_inside_functions_and_relative_ones() -> None:
    source = "import json\ndef f():\n    from app.routers import health\nfrom .rows import Rows\n"
    assert imports_in(source, "app.services") == {
        "app.routers",
        "app.routers.health",
        "app.services.rows",
        "app.services.rows.Rows",
    }
