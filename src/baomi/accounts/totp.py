"""The TOTP second factor (SEC-1): secret sealing, QR code, code checks, recovery codes.

- The secret (RFC 6238, 160 bits, base32) is stored sealed with AES-256-GCM under a key derived
  from the Django ``SECRET_KEY`` with HKDF-SHA-256 (info ``baomi-totp-v1``); the user's id is the
  associated data, so a sealed secret copied onto another account does not open. Changing the
  ``SECRET_KEY`` therefore means every user re-enrols (the security officer resets the factor).
- A code is accepted for the current 30-second step and one step either side (clock drift); the
  step of the last accepted code is kept on the user, and a code of that step or an earlier one
  is refused as a replay.
- Recovery codes are 10 random codes of 10 base32 characters; only HMAC-SHA-256 digests (keyed
  with another HKDF output of the ``SECRET_KEY``) are stored.

Pure functions only; the account services change the database.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import os
import secrets
import time
from typing import Any

import pyotp
import qrcode
import qrcode.image.svg
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

ISSUER = "baomi"
STEP = 30
DRIFT_STEPS = 1
RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: easy to copy by hand


def _derive(info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(
        settings.SECRET_KEY.encode()
    )


def new_secret() -> str:
    return pyotp.random_base32(32)


def seal(secret: str, user_id: int) -> str:
    """The stored form: ``v1:`` + base64(nonce ‖ AES-256-GCM ciphertext)."""
    nonce = os.urandom(12)
    sealed = AESGCM(_derive(b"baomi-totp-v1")).encrypt(nonce, secret.encode(), str(user_id).encode())
    return "v1:" + base64.b64encode(nonce + sealed).decode()


def unseal(stored: str, user_id: int) -> str:
    version, _sep, payload = stored.partition(":")
    if version != "v1":
        raise ValueError("unknown TOTP secret format")
    raw = base64.b64decode(payload)
    return AESGCM(_derive(b"baomi-totp-v1")).decrypt(raw[:12], raw[12:], str(user_id).encode()).decode()


def provisioning_uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The QR code as inline SVG markup (no external service, no image file)."""
    img = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buf = io.BytesIO()
    img.save(buf)  # lint: allow (an image, not a model)
    svg = buf.getvalue().decode()
    return svg[svg.index("<svg") :]


def current_step(now: float | None = None) -> int:
    return int((now if now is not None else time.time()) // STEP)


def matching_step(secret: str, code: str, last_step: int | None, now: float | None = None) -> int | None:
    """The time step ``code`` belongs to, if it is valid now and newer than ``last_step``."""
    code = "".join(code.split())
    if not code.isdigit() or len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    step = current_step(now)
    for candidate in range(step - DRIFT_STEPS, step + DRIFT_STEPS + 1):
        if last_step is not None and candidate <= last_step:
            continue  # replay: this step (or an older one) was already used
        if hmac.compare_digest(totp.at(candidate * STEP), code):
            return candidate
    return None


def code_for(secret: str, step: int) -> str:
    """The code of one time step (tests and the demo helper)."""
    return str(pyotp.TOTP(secret).at(step * STEP))


def new_recovery_codes() -> list[str]:
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


def normalise_recovery_code(code: str) -> str:
    return "".join(c for c in code.upper() if c.isalnum())


def recovery_digest(code: str) -> str:
    return hmac.new(
        _derive(b"baomi-recovery-v1"), normalise_recovery_code(code).encode(), hashlib.sha256
    ).hexdigest()


def looks_like_recovery_code(code: str) -> bool:
    return len(normalise_recovery_code(code)) == 10


def demo_secret(username: str) -> str:
    """The fixed second-factor secret of a demo account (demo mode only, see accounts/demo.py)."""
    digest = hashlib.sha256(f"baomi-demo-totp:{username}".encode()).digest()
    return base64.b32encode(digest[:20]).decode()


def describe(secret: str) -> dict[str, Any]:
    groups = [secret[i : i + 4] for i in range(0, len(secret), 4)]
    return {"secret": secret, "groups": groups, "grouped": " ".join(groups)}
