"""Reads the OpenAPI file into the IR (ir.py).

Naming rules (DESIGN.md):
- component schema `Campaign` → model `Campaign`; an inline object gets its parent's name plus the
  property's (`Campaign.campaign_schedule` → `CampaignSchedule`, array items singular:
  `CampaignSchedule.schedules[]` → `CampaignScheduleSchedule`);
- tag `LeadList` → accessor `lead_lists()`; operationId without the resource noun → method
  (`createCampaign` → `create`); PATCH-style `patch*` → `update*`, `delete*` → `remove*`;
- query + body of an operation → `<Tag><Method>Params`; an inline response → `<Tag><Method>Result`.
"""
from __future__ import annotations

import hashlib
import json
from typing import Optional

from . import naming, overlay
from .ir import Api, Enum, EnumMember, Field, Model, Operation, PathParam, Resource, Response, TypeRef

HTTP_METHODS = ("get", "post", "put", "patch", "delete")
JSON = TypeRef("json")


def is_null_schema(schema: dict) -> bool:
    return schema.get("type") == "null"


class Reader:
    def __init__(self, spec: dict, spec_bytes: bytes):
        self.spec = spec
        self.sha256 = hashlib.sha256(spec_bytes).hexdigest()
        self.components: dict = spec.get("components", {}).get("schemas", {})
        self.models: dict[str, Model] = {}
        self.enums: dict[str, Enum] = {}
        self.enum_by_signature: dict[tuple, str] = {}
        self.model_by_signature: dict[str, str] = {}

    # ---- schemas -------------------------------------------------------------------------

    def resolve(self, schema: dict) -> dict:
        while "$ref" in schema:
            schema = self.components[schema["$ref"].split("/")[-1]]
        return schema

    def merged_all_of(self, schema: dict) -> dict:
        """allOf branches merged into one object schema (properties and required lists)."""
        merged: dict = {k: v for k, v in schema.items() if k != "allOf"}
        props = dict(merged.get("properties", {}))
        required = list(merged.get("required", []))
        for branch in schema["allOf"]:
            branch = self.resolve(branch)
            if "allOf" in branch:
                branch = self.merged_all_of(branch)
            props.update(branch.get("properties", {}))
            required += [r for r in branch.get("required", []) if r not in required]
            if branch.get("type") and "type" not in merged:
                merged["type"] = branch["type"]
        if props:
            merged["properties"] = props
            merged.setdefault("type", "object")
        if required:
            merged["required"] = required
        return merged

    def type_of(self, schema: dict, name: str, family: str, origin: str) -> tuple[TypeRef, bool]:
        """The C++ type for a schema, and whether it admits null. `name` names inline types."""
        if "$ref" in schema:
            target = schema["$ref"].split("/")[-1]
            return TypeRef("model", target), False
        if "allOf" in schema:
            return self.type_of(self.merged_all_of(schema), name, family, origin)
        for key in ("anyOf", "oneOf"):
            if key in schema:
                branches = schema[key]
                typed = [b for b in branches if "type" in b or "$ref" in b or "enum" in b]
                if not typed and ("properties" in schema or schema.get("type")):
                    # Branches that only add `required` constraints: the outer schema is the type.
                    outer = {k: v for k, v in schema.items() if k != key}
                    return self.type_of(outer, name, family, origin)
                non_null = [b for b in branches if not is_null_schema(b)]
                if len(non_null) == 1 and len(non_null) < len(branches):
                    inner, _ = self.type_of(non_null[0], name, family, origin)
                    return inner, True
                return JSON, any(is_null_schema(b) for b in branches)

        types = schema.get("type")
        nullable = False
        if isinstance(types, list):
            non_null = [t for t in types if t != "null"]
            nullable = len(non_null) < len(types)
            if len(non_null) != 1:
                return JSON, nullable
            types = non_null[0]
        if types == "null":
            return JSON, True

        if "enum" in schema and self.mixes_text_and_numbers(schema["enum"]):
            # `["CAMPAIGN", "LIST", 1, 2]` under `type: number`: the API answers the strings. Kept
            # as JSON, which reads either and writes back what it read.
            return JSON, nullable
        if "enum" in schema and types in ("string", "number", "integer"):
            enum = self.enum_for(schema, types, name, family)
            if enum is not None:
                return TypeRef("enum", enum), nullable
        if types == "string":
            return TypeRef("string"), nullable
        if types == "integer":
            return TypeRef("int"), nullable
        if types == "number":
            return TypeRef("double"), nullable
        if types == "boolean":
            return TypeRef("bool"), nullable
        if types == "array":
            items = schema.get("items", {})
            item, _ = self.type_of(items, self.singular_name(name), family, origin + "[]")
            return TypeRef("array", item=item), nullable
        if (types == "object" or types is None) and schema.get("properties"):
            return TypeRef("model", self.add_model(name, schema, family, origin)), nullable
        return JSON, nullable

    @staticmethod
    def mixes_text_and_numbers(values: list) -> bool:
        return (any(isinstance(v, str) for v in values) and
                any(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values))

    @staticmethod
    def singular_name(name: str) -> str:
        words = naming.words(name)
        if words:
            words[-1] = naming.singular(words[-1])
        return naming.pascal(" ".join(words))

    def enum_for(self, schema: dict, json_type: str, name: str, family: str) -> Optional[str]:
        values = [v for v in schema["enum"] if v is not None]
        if not values:
            return None
        if json_type == "string":
            if not all(isinstance(v, str) for v in values):
                return None
            kind = "string"
        else:
            if not all(isinstance(v, (int, float)) and float(v).is_integer() for v in values):
                return None
            values = [int(v) for v in values]
            kind = "int"
        labels = schema.get("x-enumDescriptions", {})
        signature = (kind, tuple(values), tuple(sorted((str(k), str(v)) for k, v in labels.items())))
        if signature in self.enum_by_signature:
            return self.enum_by_signature[signature]
        enum_name = overlay.TYPE_NAMES.get(name, name)
        while self.taken(enum_name):
            enum_name += "Value"
        members: list[EnumMember] = []
        used: set[str] = set()
        for value in values:
            label = labels.get(str(value))
            if kind == "string":
                base = naming.enum_member(value) if naming.words(value) else "Empty"
            elif label:
                base = naming.enum_member(label)
            else:
                base = ("Minus" if value < 0 else "Value") + str(abs(value))
            member = base
            if member in used:
                member = f"{base}{naming.pascal(str(value)) if kind == 'string' else abs(value)}"
            while member in used:
                member += "_"
            used.add(member)
            members.append(EnumMember(member, value))
        self.enums[enum_name] = Enum(enum_name, kind, members, family)
        self.enum_by_signature[signature] = enum_name
        return enum_name

    def taken(self, name: str) -> bool:
        return name in self.models or name in self.enums or name in self.components

    @staticmethod
    def shape_signature(schema: dict) -> str:
        """The schema without its prose, so identical shapes documented differently match."""
        def strip(x):
            if isinstance(x, dict):
                out = {k: strip(v) for k, v in x.items()
                       if k not in ("description", "example", "examples", "title", "x-enumDescriptions")}
                if isinstance(out.get("type"), list):
                    out["type"] = sorted(out["type"])  # ["null", "string"] is ["string", "null"]
                return out
            if isinstance(x, list):
                return [strip(v) for v in x]
            return x
        return json.dumps(strip(schema), sort_keys=True)

    def add_model(self, name: str, schema: dict, family: str, origin: str, component: bool = False) -> str:
        signature = self.shape_signature(schema)
        if not component:
            # The same inline shape in a request body and a response is one type
            # (`CampaignCreateParams.campaign_schedule` is a `CampaignSchedule`).
            if signature in self.model_by_signature:
                return self.model_by_signature[signature]
            name = overlay.TYPE_NAMES.get(name, name)
            if self.taken(name):
                base, n = name, 2
                while self.taken(f"{base}{n}"):
                    n += 1
                name = f"{base}{n}"
        model = Model(name, [], family, origin, closed=schema.get("additionalProperties") is False,
                      schema=schema)
        self.models[name] = model  # registered before its fields, so recursion terminates
        self.model_by_signature.setdefault(signature, name)
        model.fields = self.fields_of(name, schema, family, origin)
        return name

    def fields_of(self, owner: str, schema: dict, family: str, origin: str, location: str = "body") -> list[Field]:
        required = set(schema.get("required", []))
        fields = []
        for json_name, prop in schema.get("properties", {}).items():
            prop_pascal = naming.pascal(json_name)
            # `Campaign.campaign_schedule` → CampaignSchedule, not CampaignCampaignSchedule.
            owner_words = naming.words(owner)
            prop_words = naming.words(json_name)
            if prop_words[: len(owner_words[-1:])] == owner_words[-1:]:
                inline_name = naming.pascal(" ".join(owner_words[:-1] + prop_words))
            else:
                inline_name = owner + prop_pascal
            resolved = prop if "$ref" in prop else prop
            type_ref, nullable = self.type_of(resolved, inline_name, family, f"{origin}.{json_name}")
            fields.append(Field(
                json_name=json_name,
                cpp_name=overlay.FIELD_NAMES.get((owner, json_name), naming.member(json_name)),
                type=type_ref,
                required=json_name in required,
                nullable=nullable,
                read_only=bool(self.resolve(prop).get("readOnly")),
                location=location,
                schema=prop,
            ))
        return fields

    # ---- operations ----------------------------------------------------------------------

    def accessor_for(self, tag: str) -> str:
        if tag in overlay.RESOURCE_ACCESSORS:
            return overlay.RESOURCE_ACCESSORS[tag]
        words = naming.words(tag)
        words[-1] = naming.plural(words[-1])
        return "_".join(words)

    @staticmethod
    def noun_forms(tag: str) -> list[list[str]]:
        """Word sequences that name the resource inside its operationIds, longest first.

        `AIInboxManager` appears as "InboxManager" or "InboxManagerAgent" in its operationIds,
        `CampaignSubsequence` as just "Subsequence"; plurals count too (`bulkAssignLeads`).
        """
        noun = naming.words(tag)
        bases = [noun]
        if noun[0] == "ai" and len(noun) > 1:
            bases.append(noun[1:])
        if len(noun) > 1:
            bases.append(noun[-1:])
        forms = []
        for base in bases:
            for last in {base[-1], naming.plural(base[-1])}:
                form = base[:-1] + [last]
                forms += [form + ["agent"], form]
        return sorted(forms, key=len, reverse=True)

    def method_name(self, operation_id: str, tag: str) -> str:
        if operation_id in overlay.METHOD_NAMES:
            return overlay.METHOD_NAMES[operation_id]
        words = naming.words(operation_id)
        for form in self.noun_forms(tag):
            starts = [i for i in range(1, len(words) - len(form) + 1) if words[i:i + len(form)] == form]
            if starts:
                words = words[:starts[0]] + words[starts[0] + len(form):]
                break
        if words[-2:] == ["by", "id"]:
            words = words[:-2]
        # The CRUD verbs DESIGN.md fixes: update for PATCH, remove for DELETE.
        if words[0] == "patch":
            words[0] = "update"
        elif words[0] == "delete":
            words[0] = "remove"
        return "_".join(words)

    def operation(self, method: str, path: str, op: dict, path_item: dict) -> Operation:
        tag = op.get("tags", ["Default"])[0]
        name = self.method_name(op["operationId"], tag)
        family = naming.snake(tag)
        tag_pascal = naming.pascal(tag)
        method_pascal = naming.pascal(name)
        label = f"{method.upper()} {path}"

        parameters = [*path_item.get("parameters", []), *op.get("parameters", [])]
        path_params = [PathParam(p["name"], naming.member(naming.snake(p["name"])))
                       for p in parameters if p.get("in") == "path"]
        # Keep the order the path names them in.
        order = {n: path.index("{" + n + "}") for n in (p.json_name for p in path_params)}
        path_params.sort(key=lambda p: order[p.json_name])

        query = [p for p in parameters if p.get("in") == "query"]
        body_schema = (op.get("requestBody", {}).get("content", {})
                       .get("application/json", {}).get("schema"))
        body_kind = "none"
        if body_schema is not None:
            resolved = self.resolve(body_schema)
            if is_null_schema(resolved):
                body_schema = None
            elif resolved.get("properties") or resolved.get("type") == "object":
                body_kind = "object"
            else:
                body_kind = "json"

        params_name = f"{tag_pascal}{method_pascal}Params"
        params_fields: list[Field] = []
        for p in query:
            inline = f"{params_name}{naming.pascal(p['name'])}"
            type_ref, nullable = self.type_of(p.get("schema", {}), inline, family, f"{label} ?{p['name']}")
            params_fields.append(Field(p["name"], naming.member(p["name"]), type_ref,
                                       bool(p.get("required")), nullable, location="query",
                                       schema=p.get("schema", {})))
        if body_kind == "object":
            resolved = self.resolve(body_schema)
            if "allOf" in resolved:
                resolved = self.merged_all_of(resolved)
            taken = {f.json_name for f in params_fields}
            for f in self.fields_of(params_name, resolved, family, f"{label} body"):
                if f.json_name in taken:
                    f.cpp_name = naming.member("body_" + f.json_name)
                params_fields.append(f)
        params = None
        if params_fields:
            params = Model(params_name, params_fields, family, f"{label} parameters",
                           closed=bool(body_schema and self.resolve(body_schema).get("additionalProperties") is False),
                           is_params=True, schema=body_schema or {})
            if self.taken(params_name):
                raise ValueError(f"two operations produce {params_name}")
            self.models[params_name] = params

        response = self.response_of(op, f"{tag_pascal}{method_pascal}Result", family, label)
        cursor_in = None
        if response.kind == "page":
            if any(p["name"] == "starting_after" for p in query):
                cursor_in = "query"
            elif body_kind == "object" and "starting_after" in self.resolve(body_schema).get("properties", {}):
                cursor_in = "body"
            if cursor_in is None:
                # A page-shaped answer without a cursor parameter: one page, returned whole.
                response = self.response_of(op, f"{tag_pascal}{method_pascal}Result", family, label,
                                            allow_page=False)

        idempotent = True if op["operationId"] in overlay.IDEMPOTENT_POSTS else None
        return Operation(
            operation_id=op["operationId"], method=method.upper(), path=path, tag=tag,
            resource=self.accessor_for(tag), name=name, summary=label,
            path_params=path_params, params=params, body_kind=body_kind, body_schema=body_schema,
            query_schemas=[(p["name"], bool(p.get("required")), p.get("schema", {})) for p in query],
            response=response, cursor_in=cursor_in, idempotent=idempotent,
        )

    def response_of(self, op: dict, result_name: str, family: str, label: str,
                    allow_page: bool = True) -> Response:
        success = sorted(code for code in op.get("responses", {}) if code.startswith("2"))
        if not success:
            return Response("empty", None, 200)
        code = success[0]
        content = op["responses"][code].get("content", {})
        if int(code) == 204 or not content:
            return Response("empty", None, int(code))
        if "application/json" not in content:
            return Response("text", TypeRef("string"), int(code), media_type=sorted(content)[0])
        schema = content["application/json"].get("schema", {})
        resolved = self.resolve(schema) if "$ref" in schema else schema
        if resolved.get("type") == "string":
            return Response("text", TypeRef("string"), int(code))
        props = resolved.get("properties", {})
        if allow_page and "$ref" not in schema and "items" in props and "next_starting_after" in props:
            item_schema = props["items"].get("items", {})
            item, _ = self.type_of(item_schema, result_name.removesuffix("Result") + "Item", family,
                                   f"{label} item")
            return Response("page", item, int(code))
        type_ref, _ = self.type_of(schema, result_name, family, f"{label} result")
        if type_ref.kind == "model":
            return Response("model", type_ref, int(code))
        if type_ref.kind == "array":
            return Response("array", type_ref, int(code))
        return Response("json", JSON, int(code))

    # ---- everything ----------------------------------------------------------------------

    def read(self) -> Api:
        # Component names are taken before any inline type is named (see taken()).
        for name, schema in self.components.items():
            self.add_model(name, schema, naming.snake(name), f"schema {name}", component=True)

        # Operations are read tag by tag in the spec's tag order (core resources first), so a
        # shape shared with the AI-agent endpoints is named after the campaign that owns it.
        tag_order = [t["name"] for t in self.spec.get("tags", [])]
        raw_ops = [(method, path, item[method], item)
                   for path, item in self.spec["paths"].items()
                   for method in HTTP_METHODS if method in item]

        def rank(entry):
            tag = entry[2].get("tags", ["Default"])[0]
            return tag_order.index(tag) if tag in tag_order else len(tag_order)

        by_tag: dict[str, list[Operation]] = {}
        for method, path, op_spec, item in sorted(raw_ops, key=rank):
            op = self.operation(method, path, op_spec, item)
            by_tag.setdefault(op.tag, []).append(op)

        resources = []
        for tag in [t["name"] for t in self.spec.get("tags", [])] + sorted(by_tag):
            if tag not in by_tag or any(r.tag == tag for r in resources):
                continue
            ops = by_tag[tag]
            names = [op.name for op in ops]
            clashes = {n for n in names if names.count(n) > 1}
            for op in ops:
                if op.name in clashes:
                    op.name = naming.snake(op.operation_id)
            accessor = self.accessor_for(tag)
            resources.append(Resource(tag, accessor, naming.pascal(accessor), accessor + ".hpp", ops))
        return Api(self.sha256, list(self.models.values()), list(self.enums.values()), resources, spec=self.spec)


def read_spec(path: str) -> Api:
    with open(path, "rb") as f:
        data = f.read()
    return Reader(json.loads(data), data).read()
