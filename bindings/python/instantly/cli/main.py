"""The `instantly` command's entry point: builds the command tree (only as much of it as the
command line names), runs the chosen command, and turns every failure into one line on stderr
and an exit code (exit_codes.py): no traceback, and never the API key."""
from __future__ import annotations

import os
import sys
from typing import List, Optional, Sequence

from .._version import __version__
from .exit_codes import INTERRUPTED, OK, UsageError, classify
from .operations import command_name, operations, resources
from .parsing import CliParser, add_global_options, command_words, normalize_argv

__all__ = ["main", "build_parser"]

DESCRIPTION = """\
The Instantly API v2 from the command line.

  instantly <resource> <method> [ARGS] [--field value ...] [--json BODY]
  instantly campaigns list --all -o table
  instantly campaigns get 0190aaaa-...
  instantly import leads.csv --campaign ID
  instantly webhooks listen --port 8080 --secret S

The API key comes from INSTANTLY_API_KEY or the config file (`instantly config set-key`).
Exit codes: 0 ok, 1 API or other failure, 2 bad input, 3 auth (401/403), 4 not found,
5 rate limited, 6 connection or timeout, 130 interrupted. See docs/cli.md."""

WORKFLOW_COMMANDS = ("import", "sync", "config")
#: Commands added under a resource, next to its generated methods (no generated method has these names).
RESOURCE_EXTRAS = {"accounts": ("health",), "webhooks": ("listen", "drain", "reparse", "watch")}


def _is_known(words: List[str], word: str) -> bool:
    names = {command_name(r): r for r in resources()}
    if not words:
        return word in names or word in WORKFLOW_COMMANDS
    resource = names.get(words[0])
    return resource is not None and (word in {op.command for op in operations(resource)}
                                     or word in RESOURCE_EXTRAS.get(resource, ()))


def build_parser(argv: Sequence[str]) -> CliParser:
    """The parser for this command line: every resource and workflow command, and the methods of
    the resource `argv` names (all of them only when asked for nothing in particular)."""
    from . import commands, importer, reconcile_commands, workflow_commands

    parser = CliParser(prog="instantly", description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"instantly {__version__}")
    add_global_options(parser, top=True)
    tree = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands", parser_class=CliParser)
    chosen = command_words(argv, 1)
    for resource in sorted(resources()):
        methods = commands.add_resource_parser(tree, resource, with_operations=command_name(resource) in chosen)
        if resource == "accounts":
            workflow_commands.add_accounts_health(methods)
        if resource == "webhooks":
            workflow_commands.add_webhooks_listen(methods)
            workflow_commands.add_webhooks_drain(methods)
            workflow_commands.add_webhooks_reparse(methods)
            reconcile_commands.add_webhooks_watch(methods)
    importer.add_import(tree)
    workflow_commands.add_sync(tree)
    workflow_commands.add_config(tree)
    return parser


def _stdout_closed() -> int:
    # `instantly ... | head`: the reader has what it wanted. Point stdout at /dev/null so that the
    # interpreter's own flush at exit does not fail again, and end quietly (SIGPIPE stays ignored,
    # as Python sets it: the webhook receiver's sockets need EPIPE, not a dead process).
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return OK


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Runs the command; returns its exit code (the console script exits with it)."""
    from .context import Context

    argv = list(sys.argv[1:] if argv is None else argv)
    context: Optional[Context] = None
    try:
        argv = normalize_argv(argv, _is_known)
        parser = build_parser(argv)
        args, unknown = parser.parse_known_args(argv)
        if unknown:
            prog = " ".join(["instantly"] + [w for w in (args.command, getattr(args, "method", None)) if w])
            raise UsageError(f"{prog}: unrecognized arguments: {' '.join(unknown)} (see `{prog} --help`)")
        if getattr(args, "handler", None) is None:
            parser.print_help()
            return OK if not args.command else 2
        context = Context(args)
        code: int = args.handler(args, context)
        return code
    except KeyboardInterrupt:
        print("instantly: interrupted", file=sys.stderr, flush=True)
        return INTERRUPTED
    except BrokenPipeError:
        return _stdout_closed()
    except SystemExit as e:  # --help and --version end through argparse's exit(0)
        return e.code if isinstance(e.code, int) else OK
    except BaseException as e:  # noqa: BLE001 - the one place that turns failures into exit codes
        code, message = classify(e)
        verbose = context.verbose if context is not None else ("-v" in argv or "--verbose" in argv)
        if verbose:
            print(f"instantly: ({type(e).__module__}.{type(e).__name__})", file=sys.stderr)
        print(f"instantly: error: {message}", file=sys.stderr, flush=True)
        return code
    finally:
        if context is not None:
            context.close()


def console_main() -> None:
    """The `instantly` console script (and `python -m instantly`)."""
    sys.exit(main())
