"""Flag values from text, by the parameter's type hint.

    int / float          --limit 10, --daily-limit 2.5
    bool                 --text-only / --no-text-only
    str                  --name "Cafes LA"
    enum                 --status active (the member's name, any case) or --status 1 (its value)
    list                 repeat the flag (--email-list a@x.com --email-list b@x.com) or give a
                         JSON array (--email-list '["a@x.com", "b@x.com"]')
    model / mapping      a JSON object: --campaign-schedule '{"schedules": [...]}' or @file.json
    anything else        JSON when it parses as JSON, else the text itself

A value that does not fit raises argparse.ArgumentTypeError, which argparse reports as
"argument --limit: expected an integer, got 'ten'" (exit 2)."""
from __future__ import annotations

import argparse
import collections.abc
import dataclasses
import enum
import json
import types
import typing
from typing import Any, Callable, List, Optional, Tuple, Type

from .._models import BaseModel
from .._types import NotGiven

__all__ = ["FlagKind", "flag_kind", "read_json_text"]


def read_json_text(text: str) -> Any:
    """`text` as JSON; `@path` reads the file, `-` (or `@-`) standard input. Raises
    ArgumentTypeError saying what is wrong (the caller names the flag)."""
    source = text
    if text in ("-", "@-"):
        import sys
        text = sys.stdin.read()
        source = "standard input"
    elif text.startswith("@"):
        path = text[1:]
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except OSError as e:
            raise argparse.ArgumentTypeError(f"cannot read {path}: {e.strerror or e}") from None
        except UnicodeDecodeError:
            raise argparse.ArgumentTypeError(f"{path} is not UTF-8 text") from None
        source = path
    try:
        return json.loads(text)
    except ValueError as e:
        shown = f" in {source}" if source is not text else ""
        raise argparse.ArgumentTypeError(f"not valid JSON{shown} ({e})") from None


@dataclasses.dataclass(frozen=True)
class FlagKind:
    """How one parameter is given on the command line."""

    parse: Callable[[str], Any]   # text → value (for a list: text → list of values)
    metavar: str
    description: str              # for --help: "integer", "JSON object (CampaignSchedule)", ...
    is_bool: bool = False
    is_list: bool = False


def _members(hint: Any) -> List[Any]:
    """The useful members of a hint: Union and Optional taken apart, NotGiven and None dropped."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        members = [m for arg in typing.get_args(hint) for m in _members(arg)]
    else:
        members = [hint]
    return [m for m in members if m is not NotGiven and m is not type(None)]


def _is_sequence(hint: Any) -> bool:
    origin = typing.get_origin(hint)
    return origin in (list, tuple, collections.abc.Sequence, collections.abc.Iterable, typing.List)


def _is_mapping(hint: Any) -> bool:
    origin = typing.get_origin(hint) or hint
    return origin in (dict, collections.abc.Mapping, typing.Dict) or (
        isinstance(hint, type) and issubclass(hint, BaseModel))


def _parse_int(text: str) -> int:
    try:
        return int(text, 10)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None


def _parse_float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None


def _parse_any(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def _object_parser(type_name: str) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        value = read_json_text(text)
        if not isinstance(value, dict):
            raise argparse.ArgumentTypeError(f"expected a JSON object ({type_name}), got {text[:40]!r}")
        return value
    return parse


def _enum_parser(cls: Type[enum.Enum], fallback: Optional[type]) -> Tuple[Callable[[str], Any], str, str]:
    members: List[enum.Enum] = list(cls)
    by_text = {}
    for member in members:
        by_text[member.name.lower()] = member.value
        by_text[member.name.lower().replace("_", "-")] = member.value
        by_text[str(member.value).lower()] = member.value
    numeric = all(isinstance(m.value, int) for m in members)
    if numeric:
        shown = ", ".join(f"{m.name.lower().replace('_', '-')}={m.value}" for m in members)
    else:
        shown = ", ".join(str(m.value) for m in members)

    def parse(text: str) -> Any:
        key = text.strip().lower()
        if key in by_text:
            return by_text[key]
        raise argparse.ArgumentTypeError(f"expected one of {shown}, got {text!r}")
    del fallback  # unknown values the API may add later go through --json, unchecked
    return parse, cls.__name__.upper(), f"one of: {shown}"


def _scalar_kind(members: List[Any]) -> FlagKind:
    enums = [m for m in members if isinstance(m, type) and issubclass(m, enum.Enum)]
    if enums:
        rest = [m for m in members if m not in enums]
        parse, metavar, description = _enum_parser(enums[0], rest[0] if rest else None)
        return FlagKind(parse, metavar, description)
    if any(_is_mapping(m) for m in members):
        named = [m.__name__ for m in members if isinstance(m, type) and issubclass(m, BaseModel)]
        type_name = named[0] if named else "object"
        return FlagKind(_object_parser(type_name), "JSON",
                        f"JSON object ({type_name}), or @FILE")
    if members == [int]:
        return FlagKind(_parse_int, "INT", "integer")
    if members == [float] or set(members) == {int, float}:
        return FlagKind(_parse_float, "NUMBER", "number")
    if members == [str]:
        return FlagKind(str, "TEXT", "text")
    return FlagKind(_parse_any, "VALUE", "JSON value, or text")


def flag_kind(hint: Any) -> FlagKind:
    """How a parameter with this type hint is given as a flag."""
    members = _members(hint)
    if members == [bool]:
        return FlagKind(lambda text: text, "", "flag (--no-... for false)", is_bool=True)
    sequences = [m for m in members if _is_sequence(m)]
    if sequences:
        args = typing.get_args(sequences[0])
        item = _scalar_kind(_members(args[0]) if args else [Any])

        def parse_list(text: str) -> List[Any]:
            if text.lstrip().startswith("["):
                values = read_json_text(text)
                if isinstance(values, list):
                    return [item.parse(v) if isinstance(v, str) and item.metavar != "JSON" else v for v in values]
            return [item.parse(text)]
        return FlagKind(parse_list, item.metavar, f"{item.description}; repeat the flag or give a JSON array",
                        is_list=True)
    return _scalar_kind(members)
