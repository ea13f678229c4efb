"""docs/architecture.md stays true: every module and name it mentions exists, and its layers are the
import contract that `scripts/test` enforces."""

import importlib
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGE = (ROOT / "docs" / "architecture.md").read_text()
CONTRACT = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
APPS = set(CONTRACT["root_packages"])
QUOTED = sorted(set(re.findall(r"`([^`\n]+)`", PAGE)))


def resolve(dotted: str) -> object:
    """The module, class or attribute a dotted name stands for (ImportError/AttributeError when there is none)."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for name in parts[cut:]:
            found = getattr(found, name)
        return found
    raise ImportError(dotted)


def test_every_path_it_names_exists():
    paths = [q for q in QUOTED if "/" in q and not q.startswith(("/", "{")) and " " not in q]
    assert paths, "the page names no file"
    missing = [p for p in paths if not (ROOT / p.split(" ")[0]).exists()]
    assert missing == []


NAMES = [q for q in QUOTED if re.fullmatch(r"[a-z_]+(\.[A-Za-z_]+)+", q) and q.split(".")[0] in APPS]


@pytest.mark.parametrize("dotted", NAMES)
def test_every_module_and_name_it_names_exists(dotted):
    resolve(dotted)


def test_its_layers_are_the_import_contract():
    rows = re.findall(r"^\| (\d+) \| ([^|]+) \|", PAGE, flags=re.MULTILINE)
    page_layers = {int(number): sorted(re.findall(r"`([a-z_]+)`", apps)) for number, apps in rows}
    contract = CONTRACT["contracts"][0]["layers"]
    contract_layers = {
        len(contract) - i: sorted(a.strip() for a in layer.split("|")) for i, layer in enumerate(contract)
    }
    assert page_layers == contract_layers
    assert sorted(app for apps in page_layers.values() for app in apps) == sorted(APPS)


def test_resolve_fails_for_a_name_that_is_gone():
    with pytest.raises((ImportError, AttributeError)):
        resolve("assessments.snapshots.no_such_function")
