"""Turning spec names into C++ names."""
from __future__ import annotations

import re

# C++ keywords, plus names that common C/POSIX headers define as macros and
# the member names every generated model already uses.
_RESERVED = set(
    """alignas alignof and and_eq asm auto bitand bitor bool break case catch char char8_t char16_t
    char32_t class compl concept const consteval constexpr constinit const_cast continue co_await
    co_return co_yield decltype default delete do double dynamic_cast else enum explicit export
    extern false float for friend goto if inline int long mutable namespace new noexcept not not_eq
    nullptr operator or or_eq private protected public register reinterpret_cast requires return
    short signed sizeof static static_assert static_cast struct switch template this thread_local
    throw true try typedef typeid typename union unsigned using virtual void volatile wchar_t while
    xor xor_eq import module
    errno assert linux unix major minor NULL EOF stdin stdout stderr
    extra extra_fields from_json to_json""".split()
)


def words(name: str) -> list[str]:
    """Splits camelCase, PascalCase, snake_case, kebab-case and spaces into lower-case words."""
    name = name.replace("OAuth", "Oauth")  # one word, not "O Auth"
    name = re.sub(r"[^0-9A-Za-z]+", " ", name)
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1 \2", name)
    return [w.lower() for w in name.split() if w]


def snake(name: str) -> str:
    return "_".join(words(name))


def pascal(name: str) -> str:
    out = "".join(w[:1].upper() + w[1:] for w in words(name))
    return out if out and not out[0].isdigit() else "V" + out


def singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def plural(word: str) -> str:
    if word.endswith("s"):
        return word  # already plural (actions, analytics)
    if word.endswith("y") and not word.endswith(("ay", "ey", "oy", "uy")):
        return word[:-1] + "ies"
    if word.endswith(("x", "sh", "ch")):
        return word + "es"
    return word + "s"


def member(json_name: str) -> str:
    """A C++ member name for a JSON key: kept as written when it is a valid identifier."""
    name = re.sub(r"[^0-9A-Za-z_]", "_", json_name)
    if not name or name[0].isdigit():
        name = "f_" + name
    if name in _RESERVED:
        name += "_"
    return name


def enum_member(label: str) -> str:
    name = pascal(label)
    return name + "_" if name in _RESERVED else name


def cpp_string(text: str) -> str:
    """A C++ string literal."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'
