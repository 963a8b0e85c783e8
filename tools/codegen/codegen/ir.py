"""The generator's intermediate representation: what to emit, free of OpenAPI details.

reader.py builds it from the spec; every emit_*.py module only reads it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional


@dataclass(frozen=True)
class TypeRef:
    """A value type. kind is one of: string, int, double, bool, json, model, enum, array."""

    kind: str
    name: str = ""  # model or enum name
    item: Optional["TypeRef"] = None  # element type of an array

    def is_scalar(self) -> bool:
        return self.kind in ("string", "int", "double", "bool", "enum")


@dataclass
class Field:
    json_name: str
    cpp_name: str
    type: TypeRef
    required: bool
    nullable: bool
    read_only: bool = False
    location: str = "body"  # body | query (only in operation parameter structs)
    schema: dict = field(default_factory=dict, repr=False)  # the raw schema, for validators


@dataclass
class Model:
    name: str
    fields: list[Field]
    family: str  # which models/<family>.hpp it lives in
    origin: str  # human-readable: "schema Campaign", "Campaign.sequences[]", "POST /api/v2/leads/add body"
    closed: bool = False  # additionalProperties: false
    is_params: bool = False  # an operation's query+body parameter struct
    schema: dict = field(default_factory=dict, repr=False)


@dataclass
class EnumMember:
    cpp_name: str
    value: object  # int or str


@dataclass
class Enum:
    name: str
    kind: str  # int | string
    members: list[EnumMember]
    family: str


@dataclass
class PathParam:
    json_name: str
    cpp_name: str


@dataclass
class Response:
    """What a successful call returns.

    kind: model | array | json | text | empty | page
    For page, `type` is the item type and the call returns Paginator<item>.
    """

    kind: str
    type: Optional[TypeRef]
    status: int
    #: The media type the answer comes in, sent as `Accept` (a server that honours Accept
    #: answers 406 to a request for JSON from a CSV download).
    media_type: str = "application/json"


@dataclass
class Operation:
    operation_id: str
    method: str  # GET, POST, ...
    path: str  # /api/v2/campaigns/{id}
    tag: str
    resource: str  # accessor, e.g. campaigns
    name: str  # C++ method name, e.g. create, bulk_add, remove
    summary: str  # our own terse words, never spec prose
    path_params: list[PathParam]
    params: Optional[Model]  # query + body fields, None when the call takes none
    body_kind: str  # none | object | json (a body that is not an object, passed as Json)
    body_schema: Optional[dict]
    query_schemas: list[tuple[str, bool, dict]]  # (name, required, schema) for validators
    response: Response
    cursor_in: Optional[str] = None  # query | body, when the list pages by cursor
    idempotent: Optional[bool] = None  # overrides the method's default for retries


@dataclass
class Resource:
    tag: str
    accessor: str  # campaigns
    class_name: str  # Campaigns
    header: str  # campaigns.hpp
    operations: list[Operation]


@dataclass
class Api:
    spec_sha256: str
    models: list[Model]
    enums: list[Enum]
    resources: list[Resource]
    # The spec itself, for emitters that work from raw schemas (the mock's response samples).
    spec: Optional[dict] = None

    @property
    def operations(self) -> list[Operation]:
        return [op for r in self.resources for op in r.operations]

    def families(self) -> list[str]:
        seen: list[str] = []
        for item in [*self.enums, *self.models]:
            if item.family not in seen:
                seen.append(item.family)
        return seen
