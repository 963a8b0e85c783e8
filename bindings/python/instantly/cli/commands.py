"""`instantly <resource> <method> [ARGS] [--flag value ...] [--json BODY]`: one subcommand per
generated operation, built from the operation's signature (operations.py) and run by calling the
method on a client with the converted values."""
from __future__ import annotations

import argparse
from typing import Any, Dict, List

from .context import Context
from .convert import flag_kind, read_json_text
from .exit_codes import UsageError
from .operations import Operation, Param, command_name, operations, resource_summary
from .parsing import CliParser, add_global_options

__all__ = ["add_resource_parser", "add_operation_parser", "run_operation"]

# argparse's subparsers action, by its public behaviour (add_parser); the class itself is private.
SubParsers = Any


def _param_help(param: Param, description: str) -> str:
    return description + ("; required (here or in --json)" if param.required else "")


def add_operation_parser(methods: SubParsers, op: Operation) -> None:
    parser: argparse.ArgumentParser = methods.add_parser(
        op.command, help=op.summary, description=op.summary, prog=f"instantly {command_name(op.resource)} {op.command}")
    taken = {"-h", "--help", "--json"}
    for param in op.positional:
        parser.add_argument(param.dest, metavar=param.api_name.upper(), help=f"{param.api_name} (path parameter)")
    for param in op.keywords:
        kind = flag_kind(param.hint)
        help_text = _param_help(param, kind.description)
        if kind.is_bool:
            parser.add_argument(param.flag, dest=param.dest, action=argparse.BooleanOptionalAction, default=None,
                                help=help_text)
            taken.update({param.flag, "--no-" + param.flag[2:]})
        elif kind.is_list:
            parser.add_argument(param.flag, dest=param.dest, action="extend", type=kind.parse, metavar=kind.metavar,
                                default=None, help=help_text)
            taken.add(param.flag)
        else:
            parser.add_argument(param.flag, dest=param.dest, type=kind.parse, metavar=kind.metavar, default=None,
                                help=help_text)
            taken.add(param.flag)
    parser.add_argument("--json", metavar="BODY", dest="json_body",
                        help="the parameters as one JSON object (API field names); @FILE reads a file, - stdin; "
                             "flags given too win")
    if op.paginated:
        parser.add_argument("--all", action="store_true", dest="all_pages",
                            help="follow the pagination: every item of every page (default: the first page)")
        taken.add("--all")
    add_global_options(parser, top=False, taken=taken)
    parser.set_defaults(handler=run_operation, operation=op)


def add_resource_parser(commands: SubParsers, resource: str, *, with_operations: bool) -> SubParsers:
    """The `instantly <resource>` level; its methods only when `with_operations` (the resource the
    command line names: building all 240 would cost most of a second on every run)."""
    name = command_name(resource)
    summary = resource_summary(resource)
    parser = commands.add_parser(name, help=summary, description=summary, prog=f"instantly {name}")
    add_global_options(parser, top=False)
    methods = parser.add_subparsers(dest="method", metavar="METHOD", title="methods", parser_class=CliParser)
    methods.required = True
    if with_operations:
        for op in operations(resource):
            add_operation_parser(methods, op)
    return methods


def _params_from_json(op: Operation, text: str) -> Dict[str, Any]:
    try:
        body = read_json_text(text)
    except argparse.ArgumentTypeError as e:
        raise UsageError(f"--json: {e}") from None
    if not isinstance(body, dict):
        raise UsageError("--json: expected a JSON object of parameters")
    keys = op.by_json_key()
    params: Dict[str, Any] = {}
    for key, value in body.items():
        if key not in keys:
            known = ", ".join(sorted(p.api_name for p in op.params)) or "none"
            raise UsageError(f"--json: unknown field {key!r} for {command_name(op.resource)} {op.command} "
                             f"(known: {known})")
        params[keys[key].name] = value
    return params


def call_arguments(op: Operation, args: argparse.Namespace) -> tuple[List[Any], Dict[str, Any]]:
    """(positional, keyword) arguments for the method: --json first, then the flags over it."""
    values: Dict[str, Any] = {}
    if getattr(args, "json_body", None) is not None:
        values.update(_params_from_json(op, args.json_body))
    for param in op.params:
        given = getattr(args, param.dest, None)
        if given is not None:
            values[param.name] = given
    missing = [p for p in op.params if p.required and p.name not in values]
    if missing:
        names = ", ".join(p.api_name.upper() if p.positional else p.flag for p in missing)
        raise UsageError(f"{command_name(op.resource)} {op.command}: missing {names} "
                         f"(see `instantly {command_name(op.resource)} {op.command} --help`)")
    positional = [values.pop(p.name) for p in op.positional]
    return positional, values


def run_operation(args: argparse.Namespace, context: Context) -> int:
    op: Operation = args.operation
    positional, keywords = call_arguments(op, args)
    client = context.client()
    method = getattr(getattr(client, op.resource), op.name)
    context.log(f"{op.summary.split(':', 1)[0]} ({op.resource}.{op.name} with {sorted(keywords) or 'no parameters'})")
    result = method(*positional, **keywords)
    context.output.emit(result, all_pages=bool(getattr(args, "all_pages", False)))
    return 0
