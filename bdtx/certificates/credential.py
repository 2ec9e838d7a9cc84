"""A certificate as a signed machine-readable credential: a W3C Verifiable Credential 2.0 of the
Open Badges 3.0 type `OpenBadgeCredential`, secured with a Data Integrity proof of the cryptosuite
`eddsa-jcs-2022` (Ed25519 over the JSON Canonicalization Scheme, RFC 8785).

Pure: the issuing workflow passes the frozen `CertificateData`, the issuer's id and key. The key
pair is an Ed25519 private key in PKCS#8 PEM (kept by the issuer) and its public key as a Multikey
`publicKeyMultibase` ("z6Mk…"), which the public verification page uses to check a credential.

The credential carries only what the verification page shows: name, unit, school year, result,
issuer, number. Never a birth date, an ID number or an ethnicity.
"""

from __future__ import annotations

import hashlib
import math
from datetime import UTC, datetime, time, timedelta, timezone
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from bdtx.certificates.render import CertificateData, hours_text
from bdtx.core.text import nfc

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
CRYPTOSUITE = "eddsa-jcs-2022"
VIETNAM = timezone(timedelta(hours=7))
_ED25519_PUB_PREFIX = b"\xed\x01"  # multicodec ed25519-pub


# --------------------------------------------------------------------------------------------------
# JSON Canonicalization Scheme (RFC 8785) for the JSON types Python's json module emits.


def _jcs_string(value: str) -> str:
    out = ['"']
    for ch in value:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif code < 0x20:
            out.append({"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}.get(ch, f"\\u{code:04x}"))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _jcs_number(value: float) -> str:
    """ECMAScript's Number.prototype.toString of an IEEE double (RFC 8785 section 3.2.2.3)."""
    if not math.isfinite(value):
        raise ValueError("JCS: NaN and Infinity are not JSON")
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    # repr gives the shortest digits that round-trip, as ECMAScript does; only the notation differs.
    mantissa, _, exp = repr(abs(value)).partition("e")
    int_part, _, frac = mantissa.partition(".")
    digits = int_part + frac
    point = len(int_part) + (int(exp) if exp else 0)  # value = 0.<digits> × 10^point
    stripped = digits.lstrip("0")
    point -= len(digits) - len(stripped)
    digits = stripped.rstrip("0")
    k, n = len(digits), point
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * (-n) + digits
    e = n - 1
    exp_text = f"e+{e}" if e > 0 else f"e-{-e}"
    return sign + digits[0] + ("." + digits[1:] if k > 1 else "") + exp_text


def canonical_json(value: Any) -> str:
    """The RFC 8785 canonical form: keys sorted by UTF-16 code units, no white space, ECMAScript
    numbers, minimal string escapes. Integers are JSON numbers, i.e. IEEE doubles."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        if abs(value) > 2**53:
            raise ValueError("JCS: integer beyond the exact range of a double")
        return _jcs_number(float(value))
    if isinstance(value, float):
        return _jcs_number(value)
    if isinstance(value, str):
        return _jcs_string(value)
    if isinstance(value, list | tuple):
        return "[" + ",".join(canonical_json(v) for v in value) + "]"
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise TypeError("JCS: object keys must be strings")
        keys = sorted(value, key=lambda k: k.encode("utf-16-be"))
        return "{" + ",".join(f"{_jcs_string(k)}:{canonical_json(value[k])}" for k in keys) + "}"
    raise TypeError(f"JCS: {type(value).__name__} is not a JSON type")


# --------------------------------------------------------------------------------------------------
# base58btc multibase


_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58btc_encode(data: bytes) -> str:
    n = int.from_bytes(data, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = _B58[r] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def base58btc_decode(text: str) -> bytes:
    n = 0
    for ch in text:
        n = n * 58 + _B58.index(ch)  # ValueError on a letter outside the alphabet
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


# --------------------------------------------------------------------------------------------------
# The credential


def build_credential(
    data: CertificateData, *, issuer_id: str, achievement_id: str, description: str = ""
) -> dict[str, Any]:
    """The unsigned OpenBadgeCredential of a certificate. `data.verification_url` is its id (the QR's
    address); the subject is identified by name only (an unhashed `IdentityObject`)."""
    year = nfc(data.school_year_label)
    achievement_name = f"Hoàn thành BDTX năm học {year}"
    valid_from = datetime.combine(data.issued_on, time(0, 0), tzinfo=VIETNAM).isoformat()
    return {
        "@context": list(CONTEXTS),
        "id": data.verification_url.strip(),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"Giấy chứng nhận hoàn thành bồi dưỡng thường xuyên năm học {year}",
        "description": f"Số: {nfc(data.number)}",
        "issuer": {"id": issuer_id, "type": ["Profile"], "name": nfc(data.issuer_name)},
        "validFrom": valid_from,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": nfc(data.full_name),
                }
            ],
            "source": {"type": ["Profile"], "name": nfc(data.unit_name)},
            "term": year,
            "achievement": {
                "id": achievement_id,
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": achievement_name,
                "description": nfc(description) or f"Hoàn thành chương trình bồi dưỡng thường xuyên năm học {year}.",
                "criteria": {
                    "narrative": "; ".join(f"{nfc(t)} ({hours_text(h)} tiết)" for t, h in data.modules),
                },
            },
            "result": [{"type": ["Result"], "value": nfc(data.result_label)}],
        },
    }


def generate_issuer_key() -> tuple[str, str]:
    """A new Ed25519 key pair: (private key as PKCS#8 PEM, public key as Multikey multibase 'z6Mk…')."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")
    return pem, public_multibase(key.public_key())


def public_multibase(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "z" + base58btc_encode(_ED25519_PUB_PREFIX + raw)


def _public_key(multibase: str) -> Ed25519PublicKey:
    if not multibase.startswith("z"):
        raise ValueError("not a base58btc multibase key")
    raw = base58btc_decode(multibase[1:])
    if not raw.startswith(_ED25519_PUB_PREFIX) or len(raw) != 34:
        raise ValueError("not an Ed25519 Multikey")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def _hash_data(document: dict[str, Any], proof_options: dict[str, Any]) -> bytes:
    """eddsa-jcs-2022: SHA-256 of the canonical proof options, then of the canonical document."""
    return (
        hashlib.sha256(canonical_json(proof_options).encode("utf-8")).digest()
        + hashlib.sha256(canonical_json(document).encode("utf-8")).digest()
    )


def sign_credential(
    credential: dict[str, Any], private_pem: str, verification_method: str, *, created: datetime | None = None
) -> dict[str, Any]:
    """The credential with a `DataIntegrityProof` (eddsa-jcs-2022) made with the issuer's key.
    `verification_method` names the public key (e.g. the issuer's id + '#key-1')."""
    key = serialization.load_pem_private_key(private_pem.encode("ascii"), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the issuer's key is not an Ed25519 key")
    document = {k: v for k, v in credential.items() if k != "proof"}
    proof: dict[str, Any] = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": (created or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    if "@context" in document:
        proof["@context"] = document["@context"]
    signature = key.sign(_hash_data(document, proof))
    return {**document, "proof": {**proof, "proofValue": "z" + base58btc_encode(signature)}}


def verify_credential(signed: dict[str, Any], public_key: str) -> bool:
    """True when `signed` carries an eddsa-jcs-2022 proof that `public_key` (Multikey multibase)
    made over exactly this document; any change to a field, the proof options included, is False."""
    try:
        proof = dict(signed["proof"])
        if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
            return False
        if proof.get("proofPurpose") != "assertionMethod":
            return False
        document = {k: v for k, v in signed.items() if k != "proof"}
        if "@context" in proof and proof["@context"] != document.get("@context"):
            return False
        value = proof.pop("proofValue")
        if not isinstance(value, str) or not value.startswith("z"):
            return False
        _public_key(public_key).verify(base58btc_decode(value[1:]), _hash_data(document, proof))
    except (KeyError, TypeError, ValueError, InvalidSignature):
        return False
    return True
