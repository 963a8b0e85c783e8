# Sealed API keys (instantly/secrets.hpp), used by instantly.secrets.

class SealingKeyRing(metaclass=type):
    """The C++ KeyRing; instantly.secrets.KeyRing wraps it. Never shows key material."""

    def __init__(self, spec: str, source: str = "key ring") -> None: ...
    @staticmethod
    def from_env() -> SealingKeyRing:
        """From INSTANTLY_SEALING_KEYS or INSTANTLY_SEALING_KEY; raises SealError."""
    @staticmethod
    def generate(key_id: str) -> SealingKeyRing:
        """A ring of one fresh random key (for tests and first setup)."""
    @property
    def current_id(self) -> str:
        """The id that seals."""
    @property
    def ids(self) -> List[str]:
        """Every key id, current first."""

def secrets_seal(plaintext: str, ring: SealingKeyRing) -> str:
    """Seals under the ring's current key."""
def secrets_open(sealed: str, ring: SealingKeyRing) -> str:
    """The plaintext; raises SealError."""
def secrets_reseal(sealed: str, ring: SealingKeyRing) -> str:
    """Sealed under the current key (unchanged when it already is)."""
def secrets_is_sealed(text: str) -> bool:
    """Whether the text starts like a sealed secret."""
def secrets_sealed_key_id(sealed: str) -> str:
    """The id of the key that sealed it; raises SealError (malformed)."""
def secrets_generate_key_material() -> str:
    """32 random bytes as base64, for INSTANTLY_SEALING_KEY(S)."""
def secrets_reseal_app_state(document_json: str, ring: SealingKeyRing
                             ) -> Tuple[str, List[Tuple[str, str, str, Optional[str]]], bool]:
    """(document JSON, [(organization, json_path, sealed, workspace)], changed)."""
def secrets_load_app_state(path: str, ring: SealingKeyRing
                           ) -> Tuple[str, List[Tuple[str, str, str, Optional[str]]], bool]:
    """The same as secrets_reseal_app_state, from a file."""
def secrets_write_app_state(path: str, document_json: str) -> None:
    """Writes atomically (temp file 0600, fsync, rename)."""
