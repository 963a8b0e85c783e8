"""Emits the Python package's generated layer (bindings/python/instantly/).

- types/<family>.py: the models and enums of one family (the same grouping as the C++ headers),
  each model a `BaseModel` with one read-only property per field, each enum an `enum.IntEnum`
  or an `enum.StrEnum`; types/__init__.py re-exports them all.
- resources/<accessor>.py: one `Resource` class per tag, one method per operation, calling the
  `_core` extension's binding `<accessor>__<cpp name>` (written by the bindings emitter);
  resources/__init__.py: the resource classes and `ResourceAccessors`, which `Client` derives from.

Parameters models (`XxxParams`) are not emitted: their fields become keyword arguments named as
in the API. The runtime these files lean on (BaseModel, Resource, SyncPage, NotGiven) is
hand-written in instantly/_*.py.
"""
from __future__ import annotations

import keyword
import re
import textwrap
from typing import Optional

from . import naming
from .cpp_types import referenced_names
from .emit_resources import check_supported, class_name
from .families import assign_families, ordered_types
from .ir import Api, Enum, Field, Model, Operation, Resource, TypeRef
from .writer import OutputTree

PACKAGE = "bindings/python/instantly"
LINE_LIMIT = 110
INDENT = "    "

_SCALARS = {"string": "str", "int": "int", "double": "float", "bool": "bool"}

# Attributes every model already has: a field with one of these names gets a trailing `_`.
_MODEL_ATTRIBUTES = {"from_dict", "from_json", "to_dict", "to_json", "model_extra", "get", "keys", "_data",
                     "_field_names", "_get", "_get_model", "_get_models", "_get_enum", "_get_enums"}
# Names a resource method's own code uses, so no parameter may take them.
_METHOD_NAMES_USED = {"self", "extra_headers", "extra_query", "extra_body", "timeout", "raw", "list_of"}
# Names the generated modules import; no type or member may shadow them.
_IMPORTED = {"Any", "List", "Mapping", "Optional", "Sequence", "Union", "enum", "BaseModel", "Resource",
             "AsyncResource", "AsyncPager",
             "SyncPage", "NotGiven", "NOT_GIVEN", "Headers", "Query", "Body", "raw", "list_of", "functools",
             "TYPE_CHECKING", "cast", "Client", "ResourceAccessors", "AsyncClient", "AsyncResourceAccessors"}


# ---- names -------------------------------------------------------------------------------------

def _python_safe(name: str, taken: set[str]) -> str:
    while keyword.iskeyword(name) or name in taken:
        name += "_"
    return name


def _identifier(json_name: str, cpp_name: str) -> str:
    """The API's name when Python can spell it; otherwise the C++ member (`"0"` → `sunday`)."""
    if json_name.isidentifier():
        return json_name
    return cpp_name.rstrip("_") if cpp_name.rstrip("_").isidentifier() else cpp_name


def property_name(f: Field) -> str:
    """A model's attribute for a field: the API's name, `_` appended after a keyword or a name
    BaseModel already uses (`from_`)."""
    name = _identifier(f.json_name, f.cpp_name)
    return _python_safe(name, _MODEL_ATTRIBUTES)


def parameter_names(op: Operation) -> tuple[list[str], list[tuple[Field, str]]]:
    """Python names of the path parameters, and of every query/body field with its field."""
    used = set(_METHOD_NAMES_USED)
    path = []
    for p in op.path_params:
        name = _python_safe(p.cpp_name.rstrip("_") or p.cpp_name, used)
        used.add(name)
        path.append(name)
    fields = []
    for f in op.params.fields if op.params else []:
        name = _python_safe(_identifier(f.json_name, f.cpp_name), used)
        used.add(name)
        fields.append((f, name))
    return path, fields


def method_name(op: Operation) -> str:
    """The C++ name, except `remove` → `delete` (DESIGN.md); keywords get `_`."""
    return _python_safe("delete" if op.name == "remove" else op.name, set())


def binding_name(op: Operation) -> str:
    """The `_core` function that runs the operation."""
    return f"{op.resource}__{op.name}"


def enum_member_name(cpp_name: str) -> str:
    """`RunningSubsequences` → `RUNNING_SUBSEQUENCES`."""
    name = "_".join(w.upper() for w in naming.words(cpp_name))
    return name if name and not name[0].isdigit() else "V_" + name


def enum_members(e: Enum) -> list[tuple[str, object]]:
    used: set[str] = set()
    out = []
    for m in e.members:
        name = enum_member_name(m.cpp_name)
        while name in used:
            name += "_"
        used.add(name)
        out.append((name, m.value))
    return out


# ---- types ------------------------------------------------------------------------------------

def _union(parts: list[str]) -> str:
    flat: list[str] = []
    for part in parts:
        inner = part[len("Union["):-1] if part.startswith("Union[") else None
        for piece in _split_top(inner) if inner is not None else [part]:
            if piece not in flat:
                flat.append(piece)
    return flat[0] if len(flat) == 1 else f"Union[{', '.join(flat)}]"


def _split_top(text: str) -> list[str]:
    """`A, B[C, D]` → [`A`, `B[C, D]`]."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    parts.append(text[start:].strip())
    return parts


def _optional(t: str) -> str:
    if t == "Any":
        return t
    if t.startswith("Union["):
        return _union([t, "None"])
    return f"Optional[{t}]"


def output_type(t: TypeRef, enum_kinds: dict[str, str]) -> str:
    """How a value the API sent reads in Python."""
    if t.kind in _SCALARS:
        return _SCALARS[t.kind]
    if t.kind == "json":
        return "Any"
    if t.kind == "model":
        return t.name
    if t.kind == "enum":
        return f"Union[{t.name}, {'int' if enum_kinds[t.name] == 'int' else 'str'}]"
    if t.kind == "array":
        return f"List[{output_type(t.item, enum_kinds)}]"
    raise ValueError(f"unknown type kind {t.kind}")


def input_type(t: TypeRef, enum_kinds: dict[str, str]) -> str:
    """What a parameter accepts: models also as mappings, enums also as raw values."""
    if t.kind == "model":
        return f"Union[{t.name}, Mapping[str, Any]]"
    if t.kind == "array":
        return f"Sequence[{input_type(t.item, enum_kinds)}]"
    return output_type(t, enum_kinds)


def property_type(f: Field, enum_kinds: dict[str, str]) -> str:
    t = output_type(f.type, enum_kinds)
    return t if f.required and not f.nullable else _optional(t)


def parameter_annotation(f: Field, enum_kinds: dict[str, str]) -> str:
    """Required: `T`; optional: `Union[T, NotGiven]`; either way `None` too when the API takes null."""
    t = input_type(f.type, enum_kinds)
    if t == "Any":
        return t
    extra = (["None"] if f.nullable else []) + ([] if f.required else ["NotGiven"])
    if extra == ["None"]:
        return _optional(t)
    return _union([t, *extra]) if extra else t


def property_getter(f: Field) -> str:
    key = _py_string(f.json_name)
    t = f.type
    if t.kind == "model":
        return f"self._get_model({key}, {t.name})"
    if t.kind == "enum":
        return f"self._get_enum({key}, {t.name})"
    if t.kind == "array" and t.item.kind == "model":
        return f"self._get_models({key}, {t.item.name})"
    if t.kind == "array" and t.item.kind == "enum":
        return f"self._get_enums({key}, {t.item.name})"
    return f"self._get({key})"


def _py_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _typing_names(text: str) -> set[str]:
    return {n for n in ("Any", "List", "Mapping", "Optional", "Sequence", "Union") if re.search(rf"\b{n}\b", text)}


# Abstract collections come from collections.abc: as `typing` aliases, stubtest reports the
# names a module imports as "not a type".
_ABC_NAMES = {"Mapping", "Sequence"}


def typing_imports(names: set[str]) -> list[str]:
    """The import lines for `names` (typing helpers and abstract collections)."""
    lines = []
    abc = sorted(names & _ABC_NAMES)
    typing = sorted(names - _ABC_NAMES)
    if abc:
        lines.append(f"from collections.abc import {', '.join(abc)}")
    if typing:
        lines.append(f"from typing import {', '.join(typing)}")
    return lines


# ---- layout -----------------------------------------------------------------------------------

def call(indent: str, head: str, args: list[str], tail: str = "") -> list[str]:
    """`head(args)tail` on one line when it fits, else one argument per line (black's layout)."""
    one_line = f"{indent}{head}({', '.join(args)}){tail}"
    if len(one_line) <= LINE_LIMIT:
        return [one_line]
    lines = [f"{indent}{head}("]
    for arg in args:
        lines += _long_argument(indent + INDENT, arg)
    return lines + [f"{indent}){tail}"]


def _long_argument(indent: str, arg: str) -> list[str]:
    """`name: Union[A, B] = DEFAULT,` on one line, or with the Union's members on their own."""
    line = f"{indent}{arg},"
    match = re.fullmatch(r"(\w+: Union\[)(.*)(\])( = \w+)?", arg)
    if len(line) <= LINE_LIMIT or not match:
        return [line]
    head, members, close, default = match.groups()
    return [f"{indent}{head}", f"{indent}{INDENT}{members}", f"{indent}{close}{default or ''},"]


def names_line(indent: str, head: str, names: list[str], tail: str, follow: str = "") -> list[str]:
    """`head name, name, ...tail`, wrapped at LINE_LIMIT; continuation lines start with `follow`
    (by default one level deeper than `indent`)."""
    follow = follow or indent + INDENT
    lines, current = [], f"{indent}{head}"
    for i, name in enumerate(names):
        piece = name + (", " if i + 1 < len(names) else tail)
        if len(current) + len(piece.rstrip()) > LINE_LIMIT and current.strip():
            lines.append(current.rstrip())
            current = follow
        current += piece
    lines.append(current)
    return lines


def docstring_lines(indent: str, text: str) -> list[str]:
    """A one-line docstring, or one wrapped at LINE_LIMIT with the quotes on the text's lines."""
    one = f'{indent}"""{text}"""'
    if len(one) <= LINE_LIMIT:
        return [one]
    wrapped = textwrap.wrap(text, LINE_LIMIT - len(indent) - 6, break_on_hyphens=False, break_long_words=False)
    wrapped[0] = '"""' + wrapped[0]
    wrapped[-1] += '"""'
    return [indent + line for line in wrapped]


def import_line(module: str, names: list[str]) -> list[str]:
    one = f"from {module} import {', '.join(names)}"
    if len(one) <= LINE_LIMIT:
        return [one]
    return names_line("", f"from {module} import (", names, ")")


def all_list(names: list[str]) -> list[str]:
    quoted = [f'"{n}"' for n in names]
    one = f"__all__ = [{', '.join(quoted)}]"
    if len(one) <= LINE_LIMIT:
        return [one]
    return ["__all__ = ["] + names_line(INDENT, "", quoted, ",", follow=INDENT) + ["]"]


# ---- types/<family>.py --------------------------------------------------------------------------

def describe(model: Model) -> str:
    if model.origin.startswith("schema "):
        return f"The `{model.origin.removeprefix('schema ')}` object."
    return f"The object at `{model.origin}`."


def enum_source(e: Enum) -> list[str]:
    raw = "int" if e.kind == "int" else "str"
    base = "enum.IntEnum" if e.kind == "int" else "enum.StrEnum"
    lines = [f"class {e.name}({base}):",
             f'{INDENT}"""An open set: a value the API adds later reads as a plain {raw}."""', ""]
    for name, value in enum_members(e):
        lines.append(f"{INDENT}{name} = {value if e.kind == 'int' else _py_string(str(value))}")
    return lines


def model_source(model: Model, enum_kinds: dict[str, str]) -> list[str]:
    lines = [f"class {model.name}(BaseModel):", *docstring_lines(INDENT, describe(model)), "",
             f"{INDENT}__slots__ = ()"]
    if model.fields:
        keys = sorted(_py_string(f.json_name) for f in model.fields)
        one = f"{INDENT}_field_names = frozenset({{{', '.join(keys)}}})"
        if len(one) <= LINE_LIMIT:
            lines.append(one)
        else:
            lines.append(f"{INDENT}_field_names = frozenset({{")
            lines += names_line(INDENT * 2, "", keys, ",", follow=INDENT * 2)
            lines.append(f"{INDENT}}})")
    # In a class body a property hides any global of its name, annotations included.
    annotation_words = set(re.findall(r"\w+", " ".join(property_type(f, enum_kinds) for f in model.fields)))
    seen: set[str] = set()
    for f in model.fields:
        name = property_name(f)
        if name in seen:
            raise ValueError(f"{model.name}: two fields read as `{name}`")
        seen.add(name)
        annotation = property_type(f, enum_kinds)
        if name in _IMPORTED or name in annotation_words:
            raise ValueError(f"{model.name}.{name} would hide a name the class's annotations use")
        lines += ["", f"{INDENT}@property"]
        lines += call(INDENT, f"def {name}", ["self"], f" -> {annotation}:")
        getter = property_getter(f)
        if f.required and not f.nullable and "_get_model" in getter:
            # The helper says "maybe absent"; the API promises this one (it is not checked on decode).
            getter = f'cast("{annotation}", {getter})'
        if len(f"{INDENT * 2}return {getter}") <= LINE_LIMIT:
            lines.append(f"{INDENT * 2}return {getter}")
        else:
            function, args = getter.split("(", 1)
            lines += [f"{INDENT * 2}return {function}(", f"{INDENT * 3}{args[:-1]}", f"{INDENT * 2})"]
    return lines


def family_types(api: Api, family: str) -> list:
    return [t for t in ordered_types(api, family) if not (isinstance(t, Model) and t.is_params)]


def types_module(api: Api, family: str, type_family: dict[str, str]) -> tuple[str, list[str]]:
    enum_kinds = {e.name: e.kind for e in api.enums}
    items = family_types(api, family)
    names = [t.name for t in items]
    body: list[list[str]] = []
    annotations = ""
    foreign: dict[str, set[str]] = {}
    for t in items:
        if isinstance(t, Enum):
            body.append(enum_source(t))
            continue
        body.append(model_source(t, enum_kinds))
        for f in t.fields:
            annotations += property_type(f, enum_kinds) + " "
            for dep in referenced_names(f.type):
                if type_family[dep] != family:
                    foreign.setdefault(type_family[dep], set()).add(dep)
    clash = set(names) & _IMPORTED
    if clash:
        raise ValueError(f"types named like the package's imports: {sorted(clash)}")

    lines = [f'"""Models and enums of the `{family}` family."""', "from __future__ import annotations", ""]
    if any(isinstance(t, Enum) for t in items):
        lines.append("import enum")
    typing = _typing_names(annotations)
    if any("return cast(" in line for chunk in body for line in chunk):
        typing.add("cast")
    lines += typing_imports(typing)
    if lines[-1] != "":
        lines.append("")
    if any(isinstance(t, Model) for t in items):
        lines.append("from .._models import BaseModel")
    for dep_family in sorted(foreign):
        lines += import_line(f".{dep_family}", sorted(foreign[dep_family]))
    if lines[-1] != "":
        lines.append("")
    lines += all_list(names)
    for chunk in body:
        lines += ["", ""] + chunk
    return "\n".join(lines) + "\n", names


# ---- resources/<accessor>.py --------------------------------------------------------------------

def return_annotation(op: Operation, enum_kinds: dict[str, str], is_async: bool = False) -> str:
    kind = op.response.kind
    if kind in ("model", "array"):
        return output_type(op.response.type, enum_kinds)
    if kind == "page":
        return f"{'AsyncPager' if is_async else 'SyncPage'}[{output_type(op.response.type, enum_kinds)}]"
    if kind == "text":
        return "str"
    if kind == "json":
        return "Any"
    if kind == "empty":
        return "None"
    raise ValueError(f"{op.operation_id}: unknown response kind {kind}")


def converter(op: Operation) -> str:
    t = op.response.type
    kind = op.response.kind
    if kind == "empty":
        return "None"
    if kind in ("model", "page") and t.kind == "model":
        return f"{t.name}.from_dict"
    if kind == "array" and t.item.kind == "model":
        return f"list_of({t.item.name}.from_dict)"
    return "raw"


def docstring(op: Operation, is_async: bool = False) -> str:
    t = op.response.type
    of = f" of `{t.name}`" if op.response.kind == "page" and t.kind == "model" else ""
    page = (f"awaiting it gives the first page{of}; `async for` walks every page." if is_async
            else f"returns the first page{of}; iterating it walks every page.")
    what = {
        "model": lambda: f"returns the `{t.name}`.",
        "array": lambda: f"returns a list of `{t.item.name}`." if t.item.kind == "model" else "returns a list.",
        "page": lambda: page,
        "text": lambda: "returns the body as text.",
        "json": lambda: "returns the JSON as sent (it has no fixed shape).",
        "empty": lambda: "returns nothing.",
    }[op.response.kind]()
    text = f"`{op.method} {op.path}`: {what}"
    if op.response.status == 202:
        text += " The API accepts the work and finishes it later."
    return text


class MethodSource:
    """One resource method's lines, and what its module must import for it. `is_async`: the
    AsyncClient twin (a coroutine; a list call returns an AsyncPager)."""

    def __init__(self, op: Operation, enum_kinds: dict[str, str], is_async: bool = False):
        check_supported(op)
        self.op = op
        path_names, fields = parameter_names(op)
        signature = ["self", *[f"{n}: str" for n in path_names], "*"]
        annotations = []
        # Required keyword arguments first, so they stand out in the signature.
        ordered = [fn for fn in fields if fn[0].required] + [fn for fn in fields if not fn[0].required]
        for f, name in ordered:
            annotation = parameter_annotation(f, enum_kinds)
            annotations.append(annotation)
            signature.append(f"{name}: {annotation}" if f.required else f"{name}: {annotation} = NOT_GIVEN")
        signature += ["extra_headers: Optional[Headers] = None", "extra_query: Optional[Query] = None",
                      "extra_body: Optional[Body] = None", "timeout: Optional[float] = None"]
        returns = return_annotation(op, enum_kinds, is_async)
        annotations += ["Optional", returns]
        self.annotations = " ".join(annotations)
        self.converter = converter(op)
        self.uses_not_given = any(not f.required for f, _ in fields)
        self.types: set[str] = set()
        for f, _name in fields:
            self.types |= referenced_names(f.type)
        if op.response.type is not None:
            self.types |= referenced_names(op.response.type)

        coroutine = is_async and op.response.kind != "page"
        lines = call(INDENT, f"{'async def' if coroutine else 'def'} {method_name(op)}", signature,
                     f" -> {returns}:")
        lines += docstring_lines(INDENT * 2, docstring(op, is_async))
        path_args = "()" if not path_names else f"({', '.join(path_names)},)"
        extras = ["extra_headers=extra_headers", "extra_query=extra_query", "extra_body=extra_body",
                  "timeout=timeout"]
        entries = [f"{_py_string(f.json_name)}: {name}" for f, name in fields]
        params = "{" + ", ".join(entries) + "}" if fields else "None"
        function = "self._list" if op.response.kind == "page" else "self._call"
        head = (f"{INDENT * 2}{'' if op.response.kind == 'empty' else 'return '}{'await ' if coroutine else ''}"
                f"{function}")
        args = [_py_string(binding_name(op)), path_args, params, self.converter]
        one_line = f"{head}({', '.join(args + extras)})"
        if len(one_line) <= LINE_LIMIT:
            lines.append(one_line)
        else:
            inner = INDENT * 3
            lines.append(f"{head}(")
            if len(f"{inner}{', '.join(args)},") <= LINE_LIMIT:
                lines.append(f"{inner}{', '.join(args)},")
            else:
                lines.append(f"{inner}{args[0]}, {path_args},")
                if fields and len(f"{inner}{params},") > LINE_LIMIT:
                    lines.append(f"{inner}{{")
                    lines += [f"{inner}{INDENT}{e}," for e in entries]
                    lines.append(f"{inner}}},")
                else:
                    lines.append(f"{inner}{params},")
                lines.append(f"{inner}{self.converter},")
            lines += names_line(inner, "", extras, ",")
            lines.append(f"{INDENT * 2})")
        self.lines = lines


# Hand-written bases of generated resource classes: accessor → (module, class, the methods it
# adds). The mixin derives from Resource and lives outside the generated files.
RESOURCE_MIXINS: dict[str, tuple[str, str, frozenset[str]]] = {
    "leads": (".._workflows.lead_import", "LeadImportMixin", frozenset({"import_leads"})),
}
ASYNC_RESOURCE_MIXINS: dict[str, tuple[str, str, frozenset[str]]] = {
    "leads": (".._workflows.lead_import", "AsyncLeadImportMixin", frozenset({"import_leads"})),
}


def async_class_name(api: Api, resource: Resource) -> str:
    return f"Async{class_name(api, resource)}"


def resource_class(cls: str, base: str, mixin: Optional[tuple[str, str, frozenset[str]]], tag: str,
                   methods: list[MethodSource], what: str) -> list[str]:
    bases = f"{mixin[1]}, {base}" if mixin else base
    lines = [f"class {cls}({bases}):", f'{INDENT}"""The `{tag}` operations, {what}."""', "",
             f"{INDENT}__slots__ = ()"]
    for m in methods:
        lines += [""] + m.lines
    return lines


def resource_module(api: Api, resource: Resource, type_family: dict[str, str]) -> str:
    """The sync class and its AsyncClient twin, from the same operations."""
    enum_kinds = {e.name: e.kind for e in api.enums}
    cls = class_name(api, resource)
    async_cls = async_class_name(api, resource)
    methods: list[MethodSource] = []
    async_methods: list[MethodSource] = []
    seen: set[str] = set()
    for op in resource.operations:
        name = method_name(op)
        if name in seen:
            raise ValueError(f"{resource.accessor}: two methods named {name}")
        seen.add(name)
        methods.append(MethodSource(op, enum_kinds))
        async_methods.append(MethodSource(op, enum_kinds, is_async=True))
    everything = methods + async_methods
    annotation_words = set(re.findall(r"\w+", " ".join(m.annotations for m in everything)))
    hidden = seen & annotation_words
    if hidden:
        raise ValueError(f"{resource.accessor}: methods {sorted(hidden)} would hide names annotations use")
    used_types = set().union(*(m.types for m in methods))
    if {cls, async_cls} & used_types or used_types & _IMPORTED:
        raise ValueError(f"{resource.accessor}: a model's name clashes with the module's names")

    mixin = RESOURCE_MIXINS.get(resource.accessor)
    async_mixin = ASYNC_RESOURCE_MIXINS.get(resource.accessor)
    for m in (mixin, async_mixin):
        if m and (m[2] & seen or m[1] in used_types | annotation_words):
            raise ValueError(f"{resource.accessor}: the mixin {m[1]} clashes with generated names")

    converters = {m.converter for m in methods}
    helpers = []
    if any(c.startswith("list_of(") for c in converters):
        helpers.append("list_of")
    if "raw" in converters:
        helpers.append("raw")
    types_ = ["Body", "Headers"]
    if any(m.uses_not_given for m in methods):
        types_ += ["NOT_GIVEN", "NotGiven"]
    types_.append("Query")
    typing = _typing_names(" ".join(m.annotations for m in everything))
    lines = [f'"""`client.{resource.accessor}`: the API\'s `{resource.tag}` operations, for Client and'
             f' AsyncClient."""',
             "from __future__ import annotations", "", *typing_imports(typing), ""]
    if any(m.op.response.kind == "page" for m in methods):
        lines.append("from .._async_pagination import AsyncPager")
    lines += import_line(".._async_resource", ["AsyncResource"])
    if any(m.op.response.kind == "page" for m in methods):
        lines.append("from .._pagination import SyncPage")
    lines += import_line(".._resource", sorted(["Resource", *helpers]))
    lines += import_line(".._types", types_)
    if mixin:
        mixins = sorted({mixin[1], async_mixin[1]} if async_mixin and async_mixin[0] == mixin[0] else {mixin[1]})
        lines += import_line(mixin[0], mixins)
    if async_mixin and (not mixin or async_mixin[0] != mixin[0]):
        lines += import_line(async_mixin[0], [async_mixin[1]])
    by_family: dict[str, list[str]] = {}
    for n in sorted(used_types):
        by_family.setdefault(type_family[n], []).append(n)
    for family in sorted(by_family):
        lines += import_line(f"..types.{family}", by_family[family])
    lines += ["", f'__all__ = ["{async_cls}", "{cls}"]', "", ""]
    lines += resource_class(cls, "Resource", mixin, resource.tag, methods, "one method per endpoint")
    lines += ["", ""]
    lines += resource_class(async_cls, "AsyncResource", async_mixin, resource.tag, async_methods,
                            "for AsyncClient: one coroutine per endpoint, list calls give an AsyncPager")
    return "\n".join(lines) + "\n"


# What `Client` defines itself; an accessor with one of these names would hide it.
_CLIENT_MEMBERS = {"base_url", "workspace", "with_options", "request", "close"}


def accessors_class(name: str, client: str, classes: list[tuple[str, str]]) -> list[str]:
    lines = [f"class {name}:",
             f'{INDENT}"""One attribute per API resource, made on first use and kept; each shares the {client}."""',
             "",
             f"{INDENT}def _resource(self, cls: Type[R]) -> R:",
             f"{INDENT * 2}# Plain properties over a per-client cache (not functools.cached_property, which",
             f"{INDENT * 2}# stubtest cannot match with the property the type checker sees).",
             f'{INDENT * 2}cache: Dict[type, Any] = self.__dict__.setdefault("_resources", {{}})',
             f"{INDENT * 2}if cls not in cache:",
             f'{INDENT * 3}cache[cls] = cls(cast("{client}", self))  # type: ignore[call-arg]',
             f"{INDENT * 2}return cast(R, cache[cls])"]
    for accessor, cls in classes:
        lines += ["", f"{INDENT}@property", f"{INDENT}def {accessor}(self) -> {cls}:",
                  f"{INDENT * 2}return self._resource({cls})"]
    return lines


def resources_init(api: Api) -> str:
    classes = [(r.accessor, class_name(api, r)) for r in api.resources]
    async_classes = [(r.accessor, async_class_name(api, r)) for r in api.resources]
    clash = {accessor for accessor, _ in classes} & _CLIENT_MEMBERS
    if clash:
        raise ValueError(f"resource accessors named like Client's own members: {sorted(clash)}")
    lines = ['"""The resource classes, and the `client.<resource>` attributes Client and AsyncClient inherit."""',
             "from __future__ import annotations", "",
             "from typing import TYPE_CHECKING, Any, Dict, Type, TypeVar, cast", ""]
    for (accessor, cls), (_, async_cls) in sorted(zip(classes, async_classes)):
        lines.append(f"from .{accessor} import {async_cls}, {cls}")
    lines += ["", "if TYPE_CHECKING:", f"{INDENT}from .._async_client import AsyncClient",
              f"{INDENT}from .._client import Client", ""]
    lines += all_list(["AsyncResourceAccessors", "ResourceAccessors",
                       *sorted(cls for _, cls in classes + async_classes)])
    lines += ["", 'R = TypeVar("R")', "", ""]
    lines += accessors_class("ResourceAccessors", "Client", classes)
    lines += ["", ""]
    lines += accessors_class("AsyncResourceAccessors", "AsyncClient", async_classes)
    return "\n".join(lines) + "\n"


def types_init(exports: list[tuple[str, list[str]]]) -> str:
    lines = ['"""Every model and enum of the API, by the names the API gives them."""',
             "from __future__ import annotations", ""]
    everything: list[str] = []
    for family, names in exports:
        lines += import_line(f".{family}", sorted(names))
        everything += names
    lines.append("")
    lines += all_list(sorted(everything))
    return "\n".join(lines) + "\n"


def emit(api: Api, tree: OutputTree) -> None:
    assign_families(api)
    type_family = {**{m.name: m.family for m in api.models}, **{e.name: e.family for e in api.enums}}
    exports = []
    for family in sorted(api.families()):
        if not family_types(api, family):
            continue  # only parameter structs live there
        text, names = types_module(api, family, type_family)
        tree.add(f"{PACKAGE}/types/{family}.py", text, comment="#")
        exports.append((family, names))
    tree.add(f"{PACKAGE}/types/__init__.py", types_init(exports), comment="#")
    for resource in api.resources:
        tree.add(f"{PACKAGE}/resources/{resource.accessor}.py", resource_module(api, resource, type_family),
                 comment="#")
    tree.add(f"{PACKAGE}/resources/__init__.py", resources_init(api), comment="#")
