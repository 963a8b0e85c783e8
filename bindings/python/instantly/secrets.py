"""API keys at rest, sealed with AES-256-GCM under a key from the environment
(instantly/secrets.hpp; docs/secrets.md).

    from instantly import secrets

    ring = secrets.KeyRing.from_env()                  # INSTANTLY_SEALING_KEY(S)
    sealed = secrets.seal(api_key, ring)               # "iks1.default.…", safe to store
    api_key = secrets.open_sealed(sealed, ring)
    sealed = secrets.reseal(sealed, ring)              # under the current key after a rotation

    state = secrets.load_app_state(".app-state.json", ring)   # the old pipeline's base64 keys
    secrets.write_app_state(".app-state.json", state.document)

    tenants = secrets.TenantClients(ring, base_url=...)
    tenants.add_app_state(state)
    tenants.client("acme").campaigns.list()

The opening function is `open_sealed`, not `open`, so that `from instantly.secrets import *`
cannot shadow the builtin. No repr or message here shows key material or plaintext; the
plaintext `open_sealed` returns is an ordinary str, which Python cannot wipe.
"""
from __future__ import annotations

import json
import os
import threading
from collections.abc import Mapping
from typing import Any, Dict, List, Optional, Tuple, Union

from . import _core
from ._client import Client
from ._exceptions import Error, ValidationError

__all__ = [
    "KeyRing", "SealError", "seal", "open_sealed", "reseal", "is_sealed", "sealed_key_id", "generate_key",
    "AppState", "SealedKey", "load_app_state", "reseal_app_state", "write_app_state", "TenantClients",
]

PathLike = Union[str, "os.PathLike[str]"]


class SealError(Error):
    """Sealing, opening or reading keys failed. `reason` is one of "malformed",
    "unknown_key_id", "wrong_key", "tampered", "bad_key_material"."""

    MALFORMED = "malformed"
    UNKNOWN_KEY_ID = "unknown_key_id"
    WRONG_KEY = "wrong_key"
    TAMPERED = "tampered"
    BAD_KEY_MATERIAL = "bad_key_material"

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason

    def __repr__(self) -> str:
        return f"SealError(reason={self.reason!r}, message={self.message!r})"


class KeyRing:
    """The keys that open sealed texts; the first (current) one seals. Immutable, thread-safe,
    and never shows its key material.

    `keys` is a spec as in the environment (`"<material>"`, `"<id>:<material>"` or
    `"<id>:<material>,<id>:<material>"`, current first) or a mapping of id → material in that
    order. Material is 32 bytes as 64 hex digits or base64. Raises SealError
    (bad_key_material)."""

    __slots__ = ("_ring",)

    def __init__(self, keys: Union[str, Mapping[str, str]]) -> None:
        if isinstance(keys, Mapping):
            for key_id in keys:
                if not isinstance(key_id, str) or ":" in key_id or "," in key_id:
                    raise SealError("a key id must be 1 to 64 of A-Z a-z 0-9 _ -", reason=SealError.BAD_KEY_MATERIAL)
            spec = ",".join(f"{key_id}:{material}" for key_id, material in keys.items())
        elif isinstance(keys, str):
            spec = keys
        else:
            raise TypeError("KeyRing expects a spec string or a mapping of id to key material")
        self._ring = _core.SealingKeyRing(spec)

    @classmethod
    def from_env(cls) -> "KeyRing":
        """From INSTANTLY_SEALING_KEYS (several, for rotation) or INSTANTLY_SEALING_KEY (one).
        Raises SealError (bad_key_material) when neither or both are set, or a key is bad."""
        ring = cls.__new__(cls)
        ring._ring = _core.SealingKeyRing.from_env()
        return ring

    @classmethod
    def generate(cls, key_id: str = "default") -> "KeyRing":
        """A ring of one fresh random key, e.g. for tests. Its material cannot be read back: to
        keep sealed data across restarts, put `generate_key()` into the environment instead."""
        ring = cls.__new__(cls)
        ring._ring = _core.SealingKeyRing.generate(key_id)
        return ring

    @property
    def current_id(self) -> str:
        """The id of the key that seals."""
        return str(self._ring.current_id)

    @property
    def ids(self) -> List[str]:
        """Every key id, current first."""
        return list(self._ring.ids)

    def __repr__(self) -> str:
        return f"KeyRing(current={self.current_id!r}, ids={self.ids!r})"


def generate_key() -> str:
    """32 random bytes as base64: a new value for INSTANTLY_SEALING_KEY(S)."""
    return str(_core.secrets_generate_key_material())


def seal(plaintext: str, keyring: KeyRing) -> str:
    """`plaintext` sealed under the ring's current key:
    `iks1.<key id>.<key check>.<nonce>.<ciphertext>.<tag>` (a fresh nonce each time)."""
    return str(_core.secrets_seal(plaintext, keyring._ring))


def open_sealed(sealed: str, keyring: KeyRing) -> str:
    """The plaintext of a sealed text. Raises SealError: malformed, unknown_key_id (not in the
    ring), wrong_key (the ring's key under that id is another key) or tampered."""
    return str(_core.secrets_open(sealed, keyring._ring))


def reseal(sealed: str, keyring: KeyRing) -> str:
    """The same secret sealed under the ring's current key; a text already sealed under it is
    checked and returned unchanged (so `reseal(s, ring) == s` means nothing to rewrite).
    Raises SealError as open_sealed does."""
    return str(_core.secrets_reseal(sealed, keyring._ring))


def is_sealed(text: str) -> bool:
    """Whether `text` looks like a sealed text (says nothing about whether it opens)."""
    return bool(_core.secrets_is_sealed(text))


def sealed_key_id(sealed: str) -> str:
    """The id of the key a text was sealed with, without opening it."""
    return str(_core.secrets_sealed_key_id(sealed))


class SealedKey:
    """One API key found in an app state, now sealed."""

    __slots__ = ("organization", "path", "sealed", "workspace")

    def __init__(self, organization: Optional[str], path: str, sealed: str, workspace: Optional[str]) -> None:
        #: The organisation it belongs to; None for a key at the top level.
        self.organization = organization
        #: Where it is in the document, e.g. "$.organizations.acme.api_key".
        self.path = path
        #: The sealed key, as the document now holds it.
        self.sealed = sealed
        #: The organisation's workspace (sent as x-as-workspace), when the state names one.
        self.workspace = workspace

    @property
    def key_id(self) -> str:
        return sealed_key_id(self.sealed)

    def __repr__(self) -> str:
        return (f"SealedKey(organization={self.organization!r}, path={self.path!r}, key_id={self.key_id!r}, "
                f"workspace={self.workspace!r})")


class AppState:
    """An app state with every API key sealed. `document` is the JSON as read with each key
    replaced by its sealed text; `keys` lists them in document order; `changed` says whether
    `document` differs from what was read (write it back then)."""

    __slots__ = ("document", "keys", "changed")

    def __init__(self, document: Dict[str, Any], keys: List[SealedKey], changed: bool) -> None:
        self.document = document
        self.keys = keys
        self.changed = changed

    def __repr__(self) -> str:
        return f"AppState(keys={len(self.keys)}, changed={self.changed})"


def _app_state(result: Tuple[str, List[Tuple[str, str, str, Optional[str]]], bool]) -> AppState:
    document_json, keys, changed = result
    return AppState(json.loads(document_json),
                    [SealedKey(org or None, path, sealed, workspace) for org, path, sealed, workspace in keys],
                    bool(changed))


def reseal_app_state(document: Mapping[str, Any], keyring: KeyRing) -> AppState:
    """Finds the API keys in an app-state document and seals them under the ring's current key.

    Keys are read from `instantly_api_key` / `api_key` / `apiKey` / `instantlyApiKey` at the top
    level, and under `organizations` / `orgs` / `tenants` (a mapping of organisation → key or
    → {api_key, workspace_id}, or a list of {id, api_key}); their values are base64 of the key,
    or already sealed (then re-sealed under the current key). Everything else is kept.
    Raises SealError (malformed) naming the JSON path of a key it cannot read."""
    return _app_state(_core.secrets_reseal_app_state(json.dumps(document), keyring._ring))


def load_app_state(path: PathLike, keyring: KeyRing) -> AppState:
    """reseal_app_state on a file (the old pipeline's `.app-state.json`). Raises instantly.Error
    when it cannot be read, DecodeError when it is not JSON, SealError as reseal_app_state."""
    return _app_state(_core.secrets_load_app_state(os.fspath(path), keyring._ring))


def write_app_state(path: PathLike, document: Mapping[str, Any]) -> None:
    """Writes `document` atomically: a temporary file with permissions 0600 in the same folder,
    flushed to disk, then renamed over `path`. Raises instantly.Error naming the path."""
    _core.secrets_write_app_state(os.fspath(path), json.dumps(document))


class TenantClients:
    """One `instantly.Client` per organisation (or per workspace of an admin key), each made from
    its sealed API key the first time it is asked for. Each key (and workspace) has its own
    rate-limit budget, so one tenant's bulk work never slows another's. Thread-safe.

        tenants = TenantClients(ring, base_url="http://127.0.0.1:4010", max_retries=4)
        tenants.add("acme", sealed_key, workspace="ws-acme")
        tenants.client("acme").campaigns.list()

    `client_options` are passed to every Client (not `api_key` or `workspace`)."""

    def __init__(self, keyring: KeyRing, **client_options: Any) -> None:
        for name in ("api_key", "workspace"):
            if name in client_options:
                raise ValidationError(f"TenantClients: {name} comes from each tenant, not from the options")
        self._keyring = keyring
        self._options = client_options
        self._lock = threading.Lock()
        self._tenants: Dict[str, Tuple[str, Optional[str]]] = {}
        self._clients: Dict[str, Client] = {}

    def add(self, organization: str, sealed_api_key: str, *, workspace: Optional[str] = None) -> None:
        """Registers an organisation, or replaces its key and workspace (its client is then made
        again on next use). Raises SealError (malformed) when the key is not a sealed text."""
        if not organization:
            raise ValidationError("TenantClients.add: organization must not be empty")
        sealed_key_id(sealed_api_key)  # malformed now rather than at first use
        with self._lock:
            self._tenants[organization] = (sealed_api_key, workspace)
            old = self._clients.pop(organization, None)
        if old is not None:
            old.close()

    def add_app_state(self, state: AppState, *, top_level_organization: str = "default") -> None:
        """Every key of a loaded app state; its top-level key goes under `top_level_organization`."""
        for key in state.keys:
            self.add(key.organization or top_level_organization, key.sealed, workspace=key.workspace)

    def client(self, organization: str) -> Client:
        """The organisation's client, made on first use. Raises ValidationError for an
        organisation never added, SealError when its key does not open."""
        with self._lock:
            existing = self._clients.get(organization)
            if existing is not None:
                return existing
            if organization not in self._tenants:
                raise ValidationError(f"TenantClients: no organisation {organization!r} was added")
            sealed, workspace = self._tenants[organization]
            if workspace is None and os.environ.get("INSTANTLY_WORKSPACE"):
                # Client would send it for this tenant: another tenant's workspace, most likely.
                raise ValidationError("TenantClients: INSTANTLY_WORKSPACE is set, and organisation "
                                      f"{organization!r} has no workspace of its own; unset it")
            made = Client(api_key=open_sealed(sealed, self._keyring), workspace=workspace, **self._options)
            self._clients[organization] = made
            return made

    def __contains__(self, organization: object) -> bool:
        with self._lock:
            return organization in self._tenants

    def __len__(self) -> int:
        with self._lock:
            return len(self._tenants)

    @property
    def organizations(self) -> List[str]:
        """Every organisation, sorted."""
        with self._lock:
            return sorted(self._tenants)

    def close(self) -> None:
        """Closes every client made so far (they are made again on next use)."""
        with self._lock:
            clients, self._clients = list(self._clients.values()), {}
        for made in clients:
            made.close()

    def __enter__(self) -> "TenantClients":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"TenantClients(organizations={self.organizations!r})"
