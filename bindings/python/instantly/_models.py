"""The base of every generated model: a typed view over the JSON object the API sent.

A model keeps the object exactly as it came (unknown fields and enum values included, so a
read-modify-write loses nothing) and converts on attribute access: nested objects become their
model class, known enum values their enum member. Generated classes only declare properties:

    class Campaign(BaseModel):
        @property
        def name(self) -> str:
            return self._get("name")

        @property
        def status(self) -> Union[CampaignStatus, int]:
            return self._get_enum("status", CampaignStatus)
"""
from __future__ import annotations

import enum
import json
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar, Dict, FrozenSet, List, Optional, Type, TypeVar, Union

from ._types import NotGiven

__all__ = ["BaseModel", "to_jsonable"]

M = TypeVar("M", bound="BaseModel")
E = TypeVar("E", bound=enum.Enum)


def to_jsonable(value: Any) -> Any:
    """`value` as plain JSON data: models become their dicts, enums their values; mappings and
    sequences are converted member by member. NOT_GIVEN members of a mapping are left out."""
    if isinstance(value, BaseModel):
        return value.to_dict()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items() if not isinstance(v, NotGiven)}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    return value


class BaseModel:
    """A typed, read-only view over one JSON object from (or for) the API."""

    __slots__ = ("_data",)

    #: The API's field names this model declares; anything else is an unknown (extra) field.
    _field_names: ClassVar[FrozenSet[str]] = frozenset()

    def __init__(self, **fields: Any) -> None:
        """Builds a model from keyword arguments named as in the API; values may be models,
        enums, dicts or lists of them. NOT_GIVEN arguments are left out."""
        self._data: Dict[str, Any] = to_jsonable(fields)

    @classmethod
    def from_dict(cls: Type[M], data: Mapping[str, Any]) -> M:
        """The model over `data` (which is copied, so later changes to it do not leak in)."""
        if not isinstance(data, Mapping):
            raise TypeError(f"{cls.__name__}.from_dict expects a mapping, got {type(data).__name__}")
        model = cls.__new__(cls)
        model._data = to_jsonable(data)
        return model

    @classmethod
    def from_json(cls: Type[M], text: Union[str, bytes]) -> M:
        return cls.from_dict(json.loads(text))

    def to_dict(self) -> Dict[str, Any]:
        """The JSON object with the API's field names; fields never set are left out."""
        return json.loads(json.dumps(self._data))

    def to_json(self, *, indent: Optional[int] = None) -> str:
        return json.dumps(self._data, indent=indent)

    # ---- unknown fields ----------------------------------------------------------------------

    @property
    def model_extra(self) -> Dict[str, Any]:
        """Fields the API sent that this model does not declare."""
        return {k: v for k, v in self._data.items() if k not in self._field_names}

    def __getitem__(self, key: str) -> Any:
        """Any field as raw JSON data, declared or not: `lead["icebreaker"]`."""
        return self._data[key]

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def get(self, key: str, default: Any = None) -> Any:
        """A field as raw JSON data, or `default` when it was not sent."""
        return self._data.get(key, default)

    def keys(self) -> Iterator[str]:
        return iter(self._data.keys())

    # ---- value semantics ---------------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BaseModel):
            return NotImplemented
        return type(self) is type(other) and self._data == other._data

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    __hash__ = None  # type: ignore[assignment]  # mutable data, like dict

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in self._data.items())
        return f"{type(self).__name__}({fields})"

    def __getstate__(self) -> Dict[str, Any]:
        return self._data

    def __setstate__(self, state: Dict[str, Any]) -> None:
        self._data = state

    # ---- typed access, used by generated properties -------------------------------------------

    def _get(self, key: str) -> Any:
        """A scalar field (or raw JSON): None when absent or null."""
        return self._data.get(key)

    def _get_model(self, key: str, cls: Type[M]) -> Optional[M]:
        value = self._data.get(key)
        return cls.from_dict(value) if isinstance(value, Mapping) else value

    def _get_models(self, key: str, cls: Type[M]) -> Optional[List[M]]:
        value = self._data.get(key)
        if not isinstance(value, list):
            return value
        return [cls.from_dict(v) if isinstance(v, Mapping) else v for v in value]

    def _get_enum(self, key: str, cls: Type[E]) -> Any:
        return _enum_or_raw(self._data.get(key), cls)

    def _get_enums(self, key: str, cls: Type[E]) -> Any:
        value = self._data.get(key)
        if not isinstance(value, list):
            return value
        return [_enum_or_raw(v, cls) for v in value]


def _enum_or_raw(value: Any, cls: Type[E]) -> Any:
    """The enum member for a known value; an unknown value (the API adds some) as it came."""
    if value is None:
        return None
    try:
        return cls(value)
    except ValueError:
        return value
