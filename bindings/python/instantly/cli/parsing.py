"""argparse, adjusted for a command with 240 subcommands: errors as one line and exit 2 (through
UsageError, never argparse's own exit), the global options accepted at every level, snake_case
spellings of commands and flags accepted, and the argv scan that lets only the chosen resource's
subcommands be built."""
from __future__ import annotations

import argparse
from typing import Callable, List, NoReturn, Optional, Sequence, Set

from .exit_codes import UsageError
from .output import FORMATS

__all__ = ["CliParser", "add_global_options", "command_words", "normalize_argv", "GLOBAL_VALUE_OPTIONS"]

#: Global options that take a value (the argv scan must skip their values).
GLOBAL_VALUE_OPTIONS = frozenset({"-o", "--output", "--base-url", "--workspace", "--timeout", "--config-file"})


class CliParser(argparse.ArgumentParser):
    """Reports errors as UsageError("instantly campaigns list: argument --limit: ...")."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("allow_abbrev", False)  # --lim must not silently mean --limit
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message} (see `{self.prog} --help`)")


def add_global_options(parser: argparse.ArgumentParser, *, top: bool, taken: Optional[Set[str]] = None) -> None:
    """The options every command accepts, before or after the subcommand. Below the top level
    they default to SUPPRESS, so an option given earlier is not reset by a later level."""
    used: Set[str] = taken or set()
    default = None if top else argparse.SUPPRESS
    group = parser.add_argument_group("global options")

    def add(*names: str, **kwargs: object) -> None:
        free = [n for n in names if n not in used]
        if free:
            group.add_argument(*free, default=default, **kwargs)  # type: ignore[arg-type]

    add("-o", "--output", choices=FORMATS,
        help="json (default when stdout is not a terminal) or table (default on a terminal)")
    add("--base-url", metavar="URL", help="API base URL (default: $INSTANTLY_BASE_URL, the config file, "
                                          "https://api.instantly.ai)")
    add("--workspace", metavar="ID", help="act on this workspace (default: $INSTANTLY_WORKSPACE, the config file)")
    add("--timeout", metavar="SECONDS", type=float, help="per-request timeout (default 60)")
    add("--config-file", metavar="PATH", help="config file (default: $INSTANTLY_CONFIG, "
                                              "$XDG_CONFIG_HOME/instantly/config.toml)")
    add("--no-validate", dest="no_validate", action="store_true",
        help="send requests without checking them against the API's schemas first (the API judges them)")
    add("-v", "--verbose", action="store_true", help="say on stderr where the settings came from and what runs")


def command_words(argv: Sequence[str], count: int = 2) -> List[str]:
    """The first `count` words that are not options or option values: the resource and method,
    found before any parser is built."""
    words: List[str] = []
    skip_next = False
    for token in argv:
        if skip_next:
            skip_next = False
            continue
        if token == "--":
            break
        if token.startswith("-"):
            skip_next = token in GLOBAL_VALUE_OPTIONS
            continue
        words.append(token)
        if len(words) == count:
            break
    return words


def normalize_argv(argv: Sequence[str], known: Callable[[List[str], str], bool]) -> List[str]:
    """`--starting_after X` → `--starting-after X`, and `email_verifications` → `email-verifications`
    for the command words: every flag and command is spelled in kebab-case, and the Python
    spelling is accepted too. `known(words_so_far, word)` says whether a kebab-case word is a
    command at that level (so that a file name or an id is never changed)."""
    out: List[str] = []
    words: List[str] = []
    skip_next = False
    passthrough = False
    for token in argv:
        if passthrough or skip_next:
            out.append(token)
            skip_next = False
            continue
        if token == "--":
            passthrough = True
            out.append(token)
        elif token.startswith("--"):
            name, eq, value = token.partition("=")
            out.append(name.replace("_", "-") + eq + value)
            skip_next = not eq and name in GLOBAL_VALUE_OPTIONS
        elif token.startswith("-"):
            out.append(token)
            skip_next = token in GLOBAL_VALUE_OPTIONS
        elif len(words) < 2:
            kebab = token.replace("_", "-")
            word = kebab if known(words, kebab) else token
            out.append(word)
            words.append(word)
        else:
            out.append(token)
    return out
