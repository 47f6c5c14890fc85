"""The rooms of mtqa stay apart (docs/architecture.md): the layers contracts, no private imports across
modules, no import cycle, modules of a readable size (mtqa, tools, bench) and functions of a readable length
(mtqa)."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "mtqa"
MAX_LINES = 450
MAX_FUNCTION_LINES = 80
#: the folders whose modules keep under MAX_LINES
SIZED = ("mtqa", "tools", "bench")


def _modules() -> dict[str, Path]:
    """Dotted module name -> file, for every module of the mtqa package."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _absolute(module: str, is_package: bool, level: int, target: str | None) -> str:
    """The absolute name of `from <level dots><target> import ...` written in `module`."""
    if level == 0:
        return target or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join(base + ([target] if target else []))


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def private_imports(module: str, path: Path, modules: set[str]) -> list[str]:
    """`module`'s uses of another module's private names: `from m import _x` and `m._x` on an imported
    mtqa module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    is_package = path.name == "__init__.py"
    found = []
    aliases: dict[str, str] = {}  # local name -> mtqa module it is bound to
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            source = _absolute(module, is_package, node.level, node.module)
            if not source.startswith("mtqa"):
                continue
            for alias in node.names:
                if f"{source}.{alias.name}" in modules:
                    aliases[alias.asname or alias.name] = f"{source}.{alias.name}"
                elif _private(alias.name) and source != module:
                    found.append(f"{module}:{node.lineno} imports {source}.{alias.name}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("mtqa") and alias.asname:
                    aliases[alias.asname] = alias.name
                elif alias.name.startswith("mtqa"):
                    aliases["mtqa"] = "mtqa"
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            dotted = _dotted(node.value, aliases)
            if dotted in modules and dotted != module:
                found.append(f"{module}:{node.lineno} uses {dotted}.{node.attr}")
    return found


def _dotted(node: ast.expr, aliases: dict[str, str]) -> str | None:
    if isinstance(node, ast.Name):
        return aliases.get(node.id)
    if isinstance(node, ast.Attribute):
        head = _dotted(node.value, aliases)
        return None if head is None else f"{head}.{node.attr}"
    return None


def test_private_import_detector_finds_both_forms(tmp_path):
    mod = tmp_path / "probe.py"
    mod.write_text("from mtqa.cache import _CHUNK\nimport mtqa.cache as c\nfrom mtqa import report\n"
                   "x = c._decode\ny = report._round\nz = report.Issue\n", encoding="utf-8")
    found = private_imports("mtqa.probe", mod, {"mtqa", "mtqa.cache", "mtqa.report"})
    assert [f.split(" ", 1)[1] for f in found] == [
        "imports mtqa.cache._CHUNK", "uses mtqa.cache._decode", "uses mtqa.report._round"]


def _all_private_imports() -> list[str]:
    modules = _modules()
    names = set(modules)
    return [f for name, path in modules.items() for f in private_imports(name, path, names)]


def test_no_module_imports_another_modules_private_names():
    assert _all_private_imports() == []


def _oversized() -> list[str]:
    out = []
    for folder in SIZED:
        for path in sorted((ROOT / folder).rglob("*.py")):
            n = len(path.read_text(encoding="utf-8").splitlines())
            if n > MAX_LINES:
                out.append(f"{path.relative_to(ROOT)} ({n} lines)")
    return out


def test_no_module_over_450_lines():
    assert _oversized() == [], f"split these modules: {_oversized()}"


def long_functions(path: Path, limit: int = MAX_FUNCTION_LINES) -> list[str]:
    """The functions (and methods) of a module longer than `limit` lines, decorators aside."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return [f"{path.name}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1} lines)"
            for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 > limit]


def test_long_function_detector_counts_every_line(tmp_path):
    mod = tmp_path / "probe.py"
    fits = "def fits():\n" + "    x = 1\n" * 79  # 80 lines
    method = "class C:\n    def method(self):\n" + "        x = 1\n" * 80  # 81 lines
    mod.write_text(f"{fits}\n\n{method}", encoding="utf-8")
    assert long_functions(mod) == ["probe.py:84 method (81 lines)"]


def test_no_function_over_80_lines():
    found = [f for path in _modules().values() for f in long_functions(path)]
    assert found == [], f"split these functions: {found}"


def test_no_import_cycle_between_modules():
    """No chain of imports leads from a module back to itself (a package and its own submodules aside:
    an __init__ that imports its children is not a cycle)."""
    grimp = pytest.importorskip("grimp")
    graph = grimp.build_graph("mtqa")
    edges = {m: {d for d in graph.find_modules_directly_imported_by(m)
                 if not (d.startswith(m + ".") or m.startswith(d + "."))} for m in graph.modules}
    cycles = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for d in sorted(edges.get(m, ())):
            if state.get(d) == 1:
                cycles.append(" -> ".join(stack[stack.index(d):] + [d]))
            elif d not in state:
                visit(d)
        stack.pop()
        state[m] = 2

    for m in sorted(edges):
        if m not in state:
            visit(m)
    assert cycles == [], f"import cycles: {cycles}"


def test_layers_contract_holds():
    """`lint-imports` (import-linter, pyproject.toml) keeps the layering of docs/architecture.md."""
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip("import-linter is not installed (pip install -e '.[test]')")
    proc = subprocess.run([exe, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "4 kept, 0 broken" in proc.stdout
