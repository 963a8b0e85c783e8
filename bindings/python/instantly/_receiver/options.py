"""The receiver's command-line options, shared by examples/python/webhook_receiver.py and the
`instantly webhooks listen|drain|reparse` commands, and what they open: the verifier, the store
and the spool. The C++ receiver (examples/webhook_receiver) takes the same options.
"""
from __future__ import annotations

import argparse
import os
from typing import Optional

from instantly import webhooks

from .._arguments import positive_int
from .stores import PostgresStore, SqliteStore, Store

__all__ = ["add_arguments", "add_store_arguments", "add_spool_arguments", "check_arguments", "make_verifier",
           "open_store", "open_spool", "DEFAULT_SPOOL_MAX_BYTES", "POSTGRES_DEFAULT_SPOOL"]

#: --spool-max-bytes by default: 1 GiB, days of deliveries at a campaign's rate.
DEFAULT_SPOOL_MAX_BYTES = 1 << 30
#: --spool by default with PostgreSQL (with SQLite: the database file's name plus ".spool").
POSTGRES_DEFAULT_SPOOL = "instantly-webhooks.spool"
#: The spool's segment size, at most; a smaller bound gets smaller segments (see open_spool).
SEGMENT_BYTES = 64 << 20


def add_store_arguments(parser: argparse.ArgumentParser) -> None:
    store = parser.add_mutually_exclusive_group()
    store.add_argument("--db", help="SQLite file (created when missing)")
    store.add_argument("--database", metavar="URL",
                       help="PostgreSQL URL, shared by any number of receivers (default: $INSTANTLY_DATABASE_URL,"
                            " which keeps the password out of `ps`)")
    parser.add_argument("--organization", metavar="UUID",
                        help="with --database: the organisation whose rows this receiver writes")


def add_spool_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--spool", metavar="DIR",
                        help="the durable spool deliveries are acknowledged from (default: the SQLite file's name"
                             f" plus .spool; with PostgreSQL ./{POSTGRES_DEFAULT_SPOOL})")
    parser.add_argument("--spool-max-bytes", type=positive_int("number of bytes"), default=DEFAULT_SPOOL_MAX_BYTES,
                        metavar="N",
                        help="the spool's bound: /readyz answers 503 from 80%% of it, deliveries 503 at it"
                             " (default %(default)s, 1 GiB)")


def add_arguments(parser: argparse.ArgumentParser, *, default_port: int = 8080, modes: bool = True) -> None:
    """The receiver's options. `modes`: also --drain and --reparse (the example script; the CLI has
    subcommands for them)."""
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default %(default)s)")
    parser.add_argument("--port", type=int, default=default_port,
                        help='port; 0 lets the OS choose. The first stdout line is "listening on URL"')
    add_store_arguments(parser)
    add_spool_arguments(parser)
    parser.add_argument("--secret-header", default="X-Webhook-Secret",
                        help="header carrying the subscription's secret (default %(default)s)")
    parser.add_argument("--secret", action="append", default=[],
                        help="accepted secret (repeat for rotation); default: $INSTANTLY_WEBHOOK_SECRET")
    if modes:
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--drain", action="store_true",
                          help="forward everything in the spool into the store, then exit (no HTTP): the spool of a"
                               " receiver whose machine is gone")
        mode.add_argument("--reparse", action="store_true",
                          help="parse the unparsed deliveries again; those that parse now become events. Then exit")


def check_arguments(parser: argparse.ArgumentParser, args: argparse.Namespace,
                    default_db: Optional[str] = None, needs_secret: Optional[bool] = None) -> argparse.Namespace:
    """Fills in the environment's defaults and refuses incomplete choices (parser.error).
    `default_db`: the SQLite file used when neither --db nor a PostgreSQL URL is given (None: one
    of them is required). `needs_secret`: default, unless --drain or --reparse (no HTTP)."""
    if getattr(args, "db", None) is None and getattr(args, "database", None) is None:
        args.database = os.environ.get("INSTANTLY_DATABASE_URL") or None
    if args.db is None and args.database is None:
        if default_db is None:
            parser.error("give --db FILE (SQLite) or --database URL (PostgreSQL, or INSTANTLY_DATABASE_URL)")
        args.db = default_db
    if args.database is not None and not args.organization:
        parser.error("--database needs --organization UUID: the organisation whose events this receives")
    if args.database is None and args.organization:
        parser.error("--organization goes with --database (a SQLite file holds one organisation)")
    if hasattr(args, "spool_max_bytes") and not getattr(args, "spool", None):
        args.spool = f"{args.db}.spool" if args.db is not None else POSTGRES_DEFAULT_SPOOL
    if needs_secret is None:
        needs_secret = not (getattr(args, "drain", False) or getattr(args, "reparse", False))
    if needs_secret and not args.secret:
        from_env = os.environ.get("INSTANTLY_WEBHOOK_SECRET", "")
        if not from_env:
            parser.error("no secret: pass --secret or set INSTANTLY_WEBHOOK_SECRET")
        args.secret = [from_env]
    return args


def make_verifier(args: argparse.Namespace) -> webhooks.SecretHeaderVerifier:
    """Raises instantly.WebhookVerificationError for an unusable secret."""
    return webhooks.SecretHeaderVerifier(args.secret_header, args.secret)


def open_store(args: argparse.Namespace) -> Store:
    """Raises instantly.DatabaseError (cannot connect, wrong schema) or ValidationError (bad URL
    or organisation id)."""
    if args.db is not None:
        return SqliteStore(args.db)
    return PostgresStore(args.database, args.organization)


def open_spool(args: argparse.Namespace) -> webhooks.Spool:
    """Raises instantly.SpoolError (cannot create or lock the directory, damage in a segment).

    A segment is deleted only once the spool has moved past it into a newer one, so segments are
    kept to a sixteenth of the bound: a drained spool then holds at most that much, and a small
    bound still drains below its 80% mark."""
    segment = max(1, min(SEGMENT_BYTES, args.spool_max_bytes // 16))
    return webhooks.Spool(args.spool, max_bytes=args.spool_max_bytes, segment_bytes=segment)
