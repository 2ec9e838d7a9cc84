"""The issuers' private signing keys, kept encrypted in the database.

The encryption key is derived (HKDF-SHA256) from the setting `BDTX_CERTIFICATE_KEY_SECRET`, or from
`SECRET_KEY` when it is not set. Losing that secret makes the stored private keys unreadable: new
certificates then need a new key (`issuer_key_rotate`), while the credentials already issued still
verify against the public keys, which are stored in clear.
"""

import base64

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_SALT = b"bdtx-certificate-issuer-keys"
_INFO = b"issuer private key encryption v1"


def _fernet() -> Fernet:
    secret = getattr(settings, "BDTX_CERTIFICATE_KEY_SECRET", "") or settings.SECRET_KEY
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=_INFO).derive(secret.encode("utf-8"))
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt_private_key(pem: str) -> str:
    return _fernet().encrypt(pem.encode("ascii")).decode("ascii")


def decrypt_private_key(token: str) -> str:
    return _fernet().decrypt(token.encode("ascii")).decode("ascii")
