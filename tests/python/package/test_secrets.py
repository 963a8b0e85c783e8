"""instantly.secrets: sealing round trip, every refusal with its reason, rotation, keys from the
environment, the old pipeline's .app-state.json, and TenantClients against instantly-mock."""
from __future__ import annotations

import base64
import json
import os
import stat

import pytest

HEX_KEY = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
B64_KEY = base64.b64encode(bytes(range(32, 64))).decode()
API_KEY = "sk_live_0123456789abcdefABCDEF"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def with_part(sealed: str, index: int, value: str) -> str:
    parts = sealed.split(".")
    parts[index] = value
    return ".".join(parts)


def flipped(part: str) -> str:
    return ("B" if part[0] == "A" else "A") + part[1:]


def test_seal_and_open_round_trip():
    from instantly import secrets
    ring = secrets.KeyRing(HEX_KEY)
    sealed = secrets.seal(API_KEY, ring)
    assert sealed.startswith("iks1.default.") and len(sealed.split(".")) == 6
    assert API_KEY not in sealed
    assert secrets.open_sealed(sealed, ring) == API_KEY
    assert secrets.is_sealed(sealed) and not secrets.is_sealed(API_KEY)
    assert secrets.sealed_key_id(sealed) == "default"
    assert secrets.seal(API_KEY, ring) != sealed  # a fresh nonce each time


def test_the_module_does_not_shadow_open():
    from instantly import secrets
    assert "open" not in secrets.__all__ and not hasattr(secrets, "open")


def test_a_wrong_key_is_wrong_key():
    from instantly import secrets
    sealed = secrets.seal(API_KEY, secrets.KeyRing(HEX_KEY))
    with pytest.raises(secrets.SealError) as raised:
        secrets.open_sealed(sealed, secrets.KeyRing(B64_KEY))
    assert raised.value.reason == secrets.SealError.WRONG_KEY


def test_each_part_changed_is_refused_with_its_reason():
    import instantly
    from instantly import secrets
    ring = secrets.KeyRing(HEX_KEY)
    sealed = secrets.seal(API_KEY, ring)
    parts = sealed.split(".")
    expected = {
        0: ("iks2", "malformed"),
        1: ("other", "unknown_key_id"),
        2: (flipped(parts[2]), "wrong_key"),
        3: (flipped(parts[3]), "tampered"),
        4: (flipped(parts[4]), "tampered"),
        5: (flipped(parts[5]), "tampered"),
    }
    for index, (value, reason) in expected.items():
        with pytest.raises(secrets.SealError) as raised:
            secrets.open_sealed(with_part(sealed, index, value), ring)
        assert raised.value.reason == reason, index
        assert isinstance(raised.value, instantly.Error)
        assert API_KEY not in str(raised.value) and HEX_KEY not in str(raised.value)


def test_malformed_input():
    from instantly import secrets
    ring = secrets.KeyRing(HEX_KEY)
    for text in ("", API_KEY, "iks1.", "iks1.default.x.y.z.w"):
        with pytest.raises(secrets.SealError) as raised:
            secrets.open_sealed(text, ring)
        assert raised.value.reason == "malformed"
        assert API_KEY not in str(raised.value)


def test_rotation_opens_old_texts_and_reseals_under_the_current_key():
    from instantly import secrets
    old_ring = secrets.KeyRing({"k2024": HEX_KEY})
    before = secrets.seal(API_KEY, old_ring)
    rotated = secrets.KeyRing({"k2025": B64_KEY, "k2024": HEX_KEY})
    assert rotated.current_id == "k2025" and rotated.ids == ["k2025", "k2024"]
    assert secrets.open_sealed(before, rotated) == API_KEY
    after = secrets.reseal(before, rotated)
    assert secrets.sealed_key_id(after) == "k2025"
    assert secrets.reseal(after, rotated) == after
    new_only = secrets.KeyRing(f"k2025:{B64_KEY}")
    assert secrets.open_sealed(after, new_only) == API_KEY
    with pytest.raises(secrets.SealError) as raised:
        secrets.open_sealed(before, new_only)
    assert raised.value.reason == "unknown_key_id"


def test_key_rings_never_show_their_material():
    from instantly import secrets
    ring = secrets.KeyRing({"prod": HEX_KEY, "old": B64_KEY})
    assert repr(ring) == "KeyRing(current='prod', ids=['prod', 'old'])"
    assert HEX_KEY not in repr(ring._ring) and B64_KEY not in repr(ring._ring)
    for bad in ("", "short", HEX_KEY[2:], f"a:{HEX_KEY},a:{B64_KEY}", f"bad id:{HEX_KEY}"):
        with pytest.raises(secrets.SealError) as raised:
            secrets.KeyRing(bad)
        assert raised.value.reason == "bad_key_material"
        assert HEX_KEY[2:] not in str(raised.value)


def test_key_ring_from_the_environment(monkeypatch):
    from instantly import secrets
    monkeypatch.delenv("INSTANTLY_SEALING_KEYS", raising=False)
    monkeypatch.setenv("INSTANTLY_SEALING_KEY", B64_KEY)
    assert secrets.KeyRing.from_env().ids == ["default"]
    monkeypatch.delenv("INSTANTLY_SEALING_KEY")
    monkeypatch.setenv("INSTANTLY_SEALING_KEYS", f"new:{B64_KEY},old:{HEX_KEY}")
    assert secrets.KeyRing.from_env().ids == ["new", "old"]
    monkeypatch.delenv("INSTANTLY_SEALING_KEYS")
    with pytest.raises(secrets.SealError, match="INSTANTLY_SEALING_KEY") as raised:
        secrets.KeyRing.from_env()
    assert raised.value.reason == "bad_key_material"


def test_generated_keys_work_from_the_environment(monkeypatch):
    from instantly import secrets
    material = secrets.generate_key()
    assert len(base64.b64decode(material)) == 32 and material != secrets.generate_key()
    monkeypatch.delenv("INSTANTLY_SEALING_KEYS", raising=False)
    monkeypatch.setenv("INSTANTLY_SEALING_KEY", material)
    ring = secrets.KeyRing.from_env()
    assert secrets.open_sealed(secrets.seal(API_KEY, ring), secrets.KeyRing(material)) == API_KEY
    fresh = secrets.KeyRing.generate("fresh")
    assert secrets.open_sealed(secrets.seal("x", fresh), fresh) == "x"


def test_app_state_load_write_reload(tmp_path):
    from instantly import secrets
    path = tmp_path / ".app-state.json"
    path.write_text(json.dumps({
        "instantly_api_key": b64("top-key"),
        "organizations": {"acme": {"api_key": b64("acme-key"), "workspace_id": "ws-acme"}, "beta": b64("beta-key")},
        "last_export": "2025-01-01",
    }))
    os.chmod(path, 0o644)
    ring = secrets.KeyRing(HEX_KEY)
    state = secrets.load_app_state(path, ring)
    assert state.changed
    assert [(k.organization, k.path, k.workspace) for k in state.keys] == [
        (None, "$.instantly_api_key", None),
        ("acme", "$.organizations.acme.api_key", "ws-acme"),
        ("beta", "$.organizations.beta", None)]
    assert [secrets.open_sealed(k.sealed, ring) for k in state.keys] == ["top-key", "acme-key", "beta-key"]
    assert "top-key" not in repr(state.keys[0]) and "key_id='default'" in repr(state.keys[0])
    assert state.document["last_export"] == "2025-01-01"

    secrets.write_app_state(path, state.document)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    written = path.read_text()
    assert b64("acme-key") not in written and "acme-key" not in written
    assert sorted(os.listdir(tmp_path)) == [".app-state.json"]  # no temporary file left

    again = secrets.load_app_state(path, ring)
    assert not again.changed and again.document == state.document


def test_app_state_keys_that_cannot_be_read_name_their_path():
    from instantly import secrets
    ring = secrets.KeyRing(HEX_KEY)
    with pytest.raises(secrets.SealError, match=r"\$\.organizations\.acme\.api_key") as raised:
        secrets.reseal_app_state({"organizations": {"acme": {"api_key": "not base64!"}}}, ring)
    assert raised.value.reason == "malformed" and "not base64!" not in str(raised.value)


def test_tenant_clients_send_each_tenants_own_key(monkeypatch):
    import instantly
    from instantly import secrets
    from mock_process import MockProcess
    monkeypatch.delenv("INSTANTLY_WORKSPACE", raising=False)
    ring = secrets.KeyRing.generate()
    state = secrets.reseal_app_state({"organizations": {"acme": b64("sk-acme"), "beta": b64("sk-beta")}}, ring)
    # This mock accepts only the two tenants' keys: a call proves the key was opened right.
    with MockProcess(["--no-rate-limit", "--api-key", "sk-acme", "--api-key", "sk-beta"]) as strict, \
            secrets.TenantClients(ring, base_url=strict.url) as tenants:
        tenants.add_app_state(state)
        tenants.add("intruder", secrets.seal("sk-intruder", ring), workspace="ws-intruder")
        assert tenants.organizations == ["acme", "beta", "intruder"] and len(tenants) == 3 and "acme" in tenants
        acme = tenants.client("acme")
        assert tenants.client("acme") is acme
        assert tenants.client("beta") is not acme
        assert tenants.client("intruder").workspace == "ws-intruder" and acme.workspace is None
        assert acme.campaigns.list(limit=1).items == []
        assert tenants.client("beta").campaigns.list(limit=1).items == []
        with pytest.raises(instantly.AuthenticationError):
            tenants.client("intruder").campaigns.list(limit=1)
        assert "sk-acme" not in repr(acme) and "sk-acme" not in repr(tenants)
        with pytest.raises(instantly.ValidationError):
            tenants.client("nobody")
        with pytest.raises(secrets.SealError):
            tenants.add("plain", "sk-not-sealed")


def test_tenant_clients_refuse_a_global_workspace(mock, monkeypatch):
    import instantly
    from instantly import secrets
    ring = secrets.KeyRing.generate()
    tenants = secrets.TenantClients(ring, base_url=mock.url)
    tenants.add("acme", secrets.seal("sk-acme", ring))
    monkeypatch.setenv("INSTANTLY_WORKSPACE", "someone-elses")
    with pytest.raises(instantly.ValidationError, match="INSTANTLY_WORKSPACE"):
        tenants.client("acme")
