"""How IR types are spelled in C++ (shared by every emitter)."""
from __future__ import annotations

from .ir import Field, TypeRef

_SCALARS = {"string": "std::string", "int": "std::int64_t", "double": "double", "bool": "bool", "json": "Json"}


def value_type(t: TypeRef) -> str:
    if t.kind in _SCALARS:
        return _SCALARS[t.kind]
    if t.kind in ("model", "enum"):
        return t.name
    if t.kind == "array":
        return f"std::vector<{value_type(t.item)}>"
    raise ValueError(f"unknown type kind {t.kind}")


def field_type(f: Field) -> str:
    """Required → T; admits null → Nullable<T> (absent / null / value); otherwise optional<T>.

    Free-form JSON already has a null of its own, so it is never wrapped in Nullable.
    """
    inner = value_type(f.type)
    if f.type.kind == "json":
        return inner if f.required else f"std::optional<{inner}>"
    if f.nullable:
        return f"Nullable<{inner}>"
    if f.required:
        return inner
    return f"std::optional<{inner}>"


def referenced_names(t: TypeRef) -> set[str]:
    """Model and enum names a type needs complete."""
    if t.kind in ("model", "enum"):
        return {t.name}
    if t.kind == "array":
        return referenced_names(t.item)
    return set()
