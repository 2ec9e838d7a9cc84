import copy
import json
import struct
from datetime import UTC, datetime

import pytest

from bdtx.certificates.credential import (
    base58btc_decode,
    base58btc_encode,
    build_credential,
    canonical_json,
    generate_issuer_key,
    sign_credential,
    verify_credential,
)
from bdtx.certificates.tests.test_render import URL, sample

ISSUER = "https://bdtx.caobang.edu.vn/to-chuc/so-gd-cao-bang"


@pytest.fixture(scope="module")
def keys():
    return generate_issuer_key()


def credential():
    return build_credential(sample(), issuer_id=ISSUER, achievement_id=f"{ISSUER}/thanh-tich/bdtx-2025-2026")


def signed(keys):
    private_pem, _public = keys
    return sign_credential(credential(), private_pem, f"{ISSUER}#key-1", created=datetime(2026, 11, 27, tzinfo=UTC))


# RFC 8785 ------------------------------------------------------------------------------------------


def test_jcs_reproduces_the_rfc_8785_example():
    """RFC 8785 section 3.2.2, the input written in Python."""
    value = {
        "numbers": [333333333.33333329, 1e30, 4.50, 2e-3, 0.000000000000000000000000001],
        "string": "\u20ac$\u000f\u000aA'\u0042\u0022\u005c\\\"/",
        "literals": [None, True, False],
    }
    assert canonical_json(value) == (
        '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
    )


def test_jcs_sorts_keys_by_utf16_code_units():
    """RFC 8785 section 3.2.3: the emoji (a surrogate pair, D83D…) sorts before U+FB33."""
    value = {
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\U0001f600": "Emoji: Grinning Face",
        "\u0080": "Control",
        "\u00f6": "Latin Small Letter O With Diaeresis",
    }
    order = [v for k, v in json.loads(canonical_json(value)).items()]
    assert order == [
        "Carriage Return",
        "One",
        "Control",
        "Latin Small Letter O With Diaeresis",
        "Euro Sign",
        "Emoji: Grinning Face",
        "Hebrew Letter Dalet With Dagesh",
    ]


@pytest.mark.parametrize(
    ("bits", "expected"),
    [  # RFC 8785 appendix B
        ("0000000000000000", "0"),
        ("8000000000000000", "0"),
        ("0000000000000001", "5e-324"),
        ("8000000000000001", "-5e-324"),
        ("7fefffffffffffff", "1.7976931348623157e+308"),
        ("ffefffffffffffff", "-1.7976931348623157e+308"),
        ("4340000000000000", "9007199254740992"),
        ("c340000000000000", "-9007199254740992"),
        ("4430000000000000", "295147905179352830000"),
        ("44b52d02c7e14af5", "9.999999999999997e+22"),
        ("44b52d02c7e14af6", "1e+23"),
        ("44b52d02c7e14af7", "1.0000000000000001e+23"),
        ("444b1ae4d6e2ef4e", "999999999999999700000"),
        ("444b1ae4d6e2ef4f", "999999999999999900000"),
        ("444b1ae4d6e2ef50", "1e+21"),
        ("3eb0c6f7a0b5ed8c", "9.999999999999997e-7"),
        ("3eb0c6f7a0b5ed8d", "0.000001"),
        ("41b3de4355555553", "333333333.3333332"),
        ("41b3de4355555554", "333333333.33333325"),
        ("41b3de4355555555", "333333333.3333333"),
        ("41b3de4355555556", "333333333.3333334"),
        ("41b3de4355555557", "333333333.33333343"),
        ("becbf647612f3696", "-0.0000033333333333333333"),
        ("43143ff3c1cb0959", "1424953923781206.2"),
    ],
)
def test_jcs_writes_numbers_as_ecmascript_does(bits, expected):
    assert canonical_json(struct.unpack(">d", bytes.fromhex(bits))[0]) == expected


def test_jcs_refuses_what_json_cannot_hold():
    for bad in (float("nan"), float("inf"), 2**60, {1: "a"}, b"x"):
        with pytest.raises((ValueError, TypeError)):
            canonical_json(bad)


def test_base58btc_round_trips_leading_zeros():
    for raw in (b"", b"\0\0abc", bytes(range(40))):
        assert base58btc_decode(base58btc_encode(raw)) == raw
    assert base58btc_encode(b"Hello World!") == "2NEpo7TZRRrLZSi2U"


# The credential -------------------------------------------------------------------------------------


def test_the_credential_is_an_open_badge_of_the_certificate():
    c = credential()
    assert c["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert c["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert c["id"] == URL
    assert c["issuer"] == {"id": ISSUER, "type": ["Profile"], "name": "SỞ GIÁO DỤC VÀ ĐÀO TẠO"}
    assert c["validFrom"] == "2026-11-27T00:00:00+07:00"
    subject = c["credentialSubject"]
    assert subject["achievement"]["name"] == "Hoàn thành BDTX năm học 2025-2026"
    assert subject["identifier"][0]["identityHash"] == "Nguyễn Thị Hương Giang"
    assert subject["source"]["name"] == "Trường Tiểu học Đức Long, xã Hòa An"
    assert subject["result"] == [{"type": ["Result"], "value": "Hoàn thành"}]
    assert "125/GCN-SGDĐT" in c["description"]


def _keys_and_values(value):
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _keys_and_values(v)
    elif isinstance(value, list):
        for v in value:
            yield from _keys_and_values(v)
    else:
        yield str(value)


def test_the_credential_holds_nothing_sensitive(keys):
    found = " ".join(_keys_and_values(signed(keys))).lower()
    for word in ("birth", "ethnic", "dân tộc", "ngày sinh", "cccd", "cmnd", "idnumber", "nationalid", "gender"):
        assert word not in found


def test_a_signed_credential_verifies_with_the_issuers_public_key(keys):
    s = signed(keys)
    assert s["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    assert s["proof"]["proofValue"].startswith("z")
    assert keys[1].startswith("z6Mk")  # an Ed25519 Multikey
    assert verify_credential(s, keys[1])
    assert verify_credential(json.loads(json.dumps(s, ensure_ascii=True, indent=2)), keys[1])  # any JSON spelling


def test_another_issuers_key_does_not_verify(keys):
    assert not verify_credential(signed(keys), generate_issuer_key()[1])


def _paths(value, prefix=()):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, (*prefix, i))
    else:
        yield prefix


def test_tampering_with_any_field_breaks_the_signature(keys):
    s = signed(keys)
    paths = [p for p in _paths(s) if p != ("proof", "proofValue")]
    assert len(paths) > 20
    for path in paths:
        tampered = copy.deepcopy(s)
        holder = tampered
        for step in path[:-1]:
            holder = holder[step]
        old = holder[path[-1]]
        holder[path[-1]] = (not old) if isinstance(old, bool) else f"{old}x"
        assert not verify_credential(tampered, keys[1]), path


def test_an_added_or_removed_field_breaks_the_signature(keys):
    s = signed(keys)
    added = copy.deepcopy(s)
    added["credentialSubject"]["birthDate"] = "1990-01-01"
    removed = copy.deepcopy(s)
    del removed["credentialSubject"]["result"]
    without_proof = {k: v for k, v in s.items() if k != "proof"}
    assert not verify_credential(added, keys[1])
    assert not verify_credential(removed, keys[1])
    assert not verify_credential(without_proof, keys[1])
    assert not verify_credential(s, "not-a-key")
