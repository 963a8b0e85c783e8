"""Which header each model and enum lives in, and in what order.

Types start in the family (schema or tag) that first names them. Shared shapes can make two
families need each other; such families are merged into one header (strongly connected
components of the family graph), so headers include each other without cycles.
"""
from __future__ import annotations

from .cpp_types import referenced_names
from .ir import Api


def family_dependencies(api: Api) -> dict[str, set[str]]:
    family_of = {**{m.name: m.family for m in api.models}, **{e.name: e.family for e in api.enums}}
    deps: dict[str, set[str]] = {f: set() for f in family_of.values()}
    for m in api.models:
        for f in m.fields:
            for name in referenced_names(f.type):
                if family_of[name] != m.family:
                    deps[m.family].add(family_of[name])
    return deps


def _strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    result: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            result.append(component)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return result


def assign_families(api: Api) -> None:
    """Merges mutually dependent families in place; the merged one keeps the first name in spec order."""
    order = api.families()
    for component in _strongly_connected(family_dependencies(api)):
        if len(component) < 2:
            continue
        keep = min(component, key=order.index)
        for item in [*api.models, *api.enums]:
            if item.family in component:
                item.family = keep


def ordered_types(api: Api, family: str) -> list:
    """The family's enums, then its models with every dependency before its user."""
    models = {m.name: m for m in api.models if m.family == family}
    done: set[str] = set()
    ordered = []

    def place(name: str) -> None:
        if name in done or name not in models:
            return
        done.add(name)
        for f in models[name].fields:
            for dep in sorted(referenced_names(f.type)):
                place(dep)
        ordered.append(models[name])

    for name in models:
        place(name)
    return [e for e in api.enums if e.family == family] + ordered
