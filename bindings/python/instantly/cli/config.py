"""Where the command finds its API key, base URL and workspace, and `instantly config set-key`.

Precedence, highest first (docs/cli.md): command-line flags (--base-url, --workspace; there is
no flag for the key, which would show in `ps` and shell history), then the environment
(INSTANTLY_API_KEY, INSTANTLY_BASE_URL, INSTANTLY_WORKSPACE), then the config file
($INSTANTLY_CONFIG or --config, else $XDG_CONFIG_HOME/instantly/config.toml, else
~/.config/instantly/config.toml). The file holds a secret, so one that its group or others can
read is refused, like ssh does with a private key.
"""
from __future__ import annotations

import dataclasses
import os
import stat
import tempfile
import tomllib
from pathlib import Path
from typing import Dict, Optional

from .exit_codes import UsageError

__all__ = ["Settings", "config_path", "read_config", "resolve", "write_config"]

KNOWN_SETTINGS = ("api_key", "base_url", "workspace")


@dataclasses.dataclass(frozen=True)
class Settings:
    """What a client is made with. `api_key` never appears in repr (nor anywhere else)."""

    api_key: Optional[str] = dataclasses.field(repr=False)
    #: Where the key came from ("INSTANTLY_API_KEY", the config file's path), for --verbose.
    api_key_source: str
    base_url: Optional[str]
    workspace: Optional[str]


def config_path(explicit: Optional[str] = None) -> Path:
    """The config file to use: --config, $INSTANTLY_CONFIG, then the XDG location."""
    chosen = explicit or os.environ.get("INSTANTLY_CONFIG")
    if chosen:
        return Path(chosen).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "instantly" / "config.toml"


def _check_private(path: Path) -> None:
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise UsageError(f"config file {path} is not a regular file")
    if info.st_mode & 0o077:
        raise UsageError(f"config file {path} can be read by others (mode {stat.S_IMODE(info.st_mode):04o}); "
                         f"it holds the API key: run `chmod 600 {path}`")


def read_config(path: Path, *, must_exist: bool = False) -> Dict[str, str]:
    """The settings in the file ({} when it does not exist and need not). Refuses a file others
    can read, one that is not TOML, unknown settings and non-text values (UsageError, exit 2)."""
    if not path.exists():
        if must_exist:
            raise UsageError(f"config file {path} does not exist")
        return {}
    _check_private(path)
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except tomllib.TOMLDecodeError as e:
        raise UsageError(f"config file {path} is not valid TOML: {e}") from None
    settings: Dict[str, str] = {}
    for name, value in data.items():
        if name not in KNOWN_SETTINGS:
            raise UsageError(f"config file {path}: unknown setting {name!r} (known: {', '.join(KNOWN_SETTINGS)})")
        if not isinstance(value, str):
            raise UsageError(f"config file {path}: {name} must be a string")
        settings[name] = value
    return settings


def resolve(*, base_url: Optional[str], workspace: Optional[str], config: Optional[str]) -> Settings:
    """The settings for this run: flags, then environment, then config file (see the module)."""
    path = config_path(config)
    explicit = bool(config or os.environ.get("INSTANTLY_CONFIG"))
    from_file = read_config(path, must_exist=explicit)
    env_key = os.environ.get("INSTANTLY_API_KEY")
    if env_key:
        key: Optional[str] = env_key
        source = "INSTANTLY_API_KEY"
    else:
        key = from_file.get("api_key") or None
        source = str(path) if key else "nowhere"
    return Settings(
        api_key=key, api_key_source=source,
        base_url=base_url or os.environ.get("INSTANTLY_BASE_URL") or from_file.get("base_url") or None,
        workspace=workspace or os.environ.get("INSTANTLY_WORKSPACE") or from_file.get("workspace") or None)


def _toml_string(value: str) -> str:
    # A TOML basic string: the same escapes as JSON for the characters that need one.
    out = ['"']
    for ch in value:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def write_config(path: Path, settings: Dict[str, str]) -> None:
    """Writes the file with mode 0600 from the first byte (a temporary file in the same folder,
    renamed over the old one, so a crash leaves either file whole)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    text = "".join(f"{name} = {_toml_string(settings[name])}\n" for name in KNOWN_SETTINGS if name in settings)
    fd, temporary = tempfile.mkstemp(prefix=".config-", dir=path.parent)  # mkstemp creates it 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
