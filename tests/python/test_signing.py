"""Signed credentials (VC-JOSE vc+jwt, Ed25519), checked against an independent
implementation: the ``cryptography`` package's Ed25519 with the JWS taken apart by hand
here, and did:key decoded by a base58 decoder written here. RFC 8037 Appendix A gives the
known answers; keys made by ``cryptography`` give the rest."""

from __future__ import annotations

import base64
import copy
import datetime
import hashlib
import json
import pickle
import re
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, utils

import balai
from balai import Certificate, KeyAlgorithm, KeyIdForm, SigningKey, VerificationKey

# RFC 8037 Appendix A.1: the Ed25519 key pair (d is the private key).
RFC_D = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"
RFC_X = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
RFC_THUMBPRINT = "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"  # A.3

BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
B64URL = re.compile(r"[A-Za-z0-9_-]*")


def b64url_decode(text: str) -> bytes:
    """Strict: only the canonical unpadded base64url of some bytes decodes."""
    if not B64URL.fullmatch(text):
        raise ValueError("not base64url")
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if b64url(data) != text:
        raise ValueError("not the canonical encoding")
    return data


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def base58_decode(text: str) -> bytes:
    number = 0
    for char in text:
        number = number * 58 + BASE58.index(char)
    zeros = len(text) - len(text.lstrip("1"))
    return b"\0" * zeros + number.to_bytes((number.bit_length() + 7) // 8, "big")


def did_key_bytes(did: str) -> bytes:
    """The Ed25519 public key a did:key stands for (multicodec 0xed 0x01, base58btc)."""
    assert did.startswith("did:key:z")
    decoded = base58_decode(did.removeprefix("did:key:z"))
    assert decoded[:2] == b"\xed\x01"
    assert len(decoded) == 34
    return decoded[2:]


def independent_verify(jws: str, public_key: bytes) -> tuple[dict[str, str], bytes]:
    """The header and payload of a vc+jwt, verified without balai; raises otherwise."""
    header_part, payload_part, signature_part = jws.split(".")
    header = json.loads(b64url_decode(header_part))
    if header.get("alg") != "EdDSA" or header.get("typ") != "vc+jwt":
        raise ValueError(f"not an EdDSA vc+jwt: {header}")
    key = ed25519.Ed25519PublicKey.from_public_bytes(public_key)
    key.verify(b64url_decode(signature_part), f"{header_part}.{payload_part}".encode("ascii"))
    return header, b64url_decode(payload_part)


def pem_of(
    key: ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey | ed448.Ed448PrivateKey,
) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")


def raw_public(key: ed25519.Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


@pytest.fixture
def rfc_key() -> ed25519.Ed25519PrivateKey:
    return ed25519.Ed25519PrivateKey.from_private_bytes(b64url_decode(RFC_D))


@pytest.fixture
def certificate() -> Certificate:
    return Certificate(
        serial="0b6f3d2e-8c1a-5f4e-9a7b-2c3d4e5f6a7b",
        registration="6b1e0b52-3a57-4c1e-9d43-1c0f2f6f1a01",
        trainee="T-1",
        program="Pelatihan Kewirausahaan",
        completed_on=datetime.date(2027, 1, 12),
        issue=1,
        issued_at=1_800_000_000,
        valid_from=1_800_000_000,
        valid_until=1_900_000_000,
        verification_code="a" * 64,
    )


CREDENTIAL = json.dumps(
    {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": "https://umkm.example.go.id/issuer",
        "credentialSubject": {"id": "urn:uuid:6b1e0b52-3a57-4c1e-9d43-1c0f2f6f1a01"},
    }
)
# CREDENTIAL signed: the JWT claims Open Badges 3.0 asks for, from its issuer and subject.
SECURED = (
    CREDENTIAL[:-1]
    + ',"iss":"https://umkm.example.go.id/issuer"'
    + ',"sub":"urn:uuid:6b1e0b52-3a57-4c1e-9d43-1c0f2f6f1a01"}'
)


def test_rfc_8037_key_jwk_and_thumbprint(rfc_key: ed25519.Ed25519PrivateKey) -> None:
    key = SigningKey.from_pem(pem_of(rfc_key))
    public = key.verification_key
    assert public.public_bytes == raw_public(rfc_key) == b64url_decode(RFC_X)
    assert public.thumbprint == RFC_THUMBPRINT
    jwk = json.loads(public.jwk())
    assert jwk == {"kty": "OKP", "crv": "Ed25519", "x": RFC_X, "kid": RFC_THUMBPRINT}
    # RFC 7638: the thumbprint is the SHA-256 of the required members, sorted, no spaces.
    canonical = json.dumps({k: jwk[k] for k in ("crv", "kty", "x")}, separators=(",", ":"))
    assert b64url(hashlib.sha256(canonical.encode()).digest()) == RFC_THUMBPRINT
    assert VerificationKey.from_jwk(public.jwk()) == public


def test_did_key_decodes_independently_to_the_public_key() -> None:
    private = ed25519.Ed25519PrivateKey.generate()
    public = SigningKey.from_pem(pem_of(private)).verification_key
    assert public.did_key.startswith("did:key:z6Mk")
    assert did_key_bytes(public.did_key) == raw_public(private)
    assert public.did_key_id == f"{public.did_key}#{public.did_key.removeprefix('did:key:')}"
    assert VerificationKey.from_did_key(public.did_key) == public
    assert VerificationKey.from_did_key(public.did_key_id) == public
    with pytest.raises(balai.ValidationError, match="did"):
        VerificationKey.from_did_key("did:web:umkm.example.go.id")


def test_signed_credential_verifies_independently(
    rfc_key: ed25519.Ed25519PrivateKey,
) -> None:
    key = SigningKey.from_pem(pem_of(rfc_key))
    jws = balai.sign_credential(CREDENTIAL, key)
    header, payload = independent_verify(jws, did_key_bytes(key.verification_key.did_key))
    assert header == {
        "alg": "EdDSA",
        "kid": key.verification_key.did_key_id,
        "typ": "vc+jwt",
        "cty": "vc",
    }
    assert payload.decode() == SECURED
    # Deterministic: the same as a second signing, and as cryptography's own signature.
    assert balai.sign_credential(CREDENTIAL, key) == jws
    signing_input = jws.rsplit(".", 1)[0]
    assert b64url(rfc_key.sign(signing_input.encode())) == jws.rsplit(".", 1)[1]
    assert balai.verify_credential(jws, key.verification_key) == SECURED


def test_one_character_changed_anywhere_is_refused_by_both(
    rfc_key: ed25519.Ed25519PrivateKey,
) -> None:
    key = SigningKey.from_pem(pem_of(rfc_key))
    jws = balai.sign_credential(CREDENTIAL, key)
    public = key.verification_key
    for at, char in enumerate(jws):
        if char == ".":
            continue
        changed = jws[:at] + ("B" if char == "A" else "A") + jws[at + 1 :]
        with pytest.raises(balai.ValidationError):
            balai.verify_credential(changed, public)
        with pytest.raises((ValueError, InvalidSignature)):
            independent_verify(changed, public.public_bytes)


def test_another_key_alg_or_typ_is_refused(rfc_key: ed25519.Ed25519PrivateKey) -> None:
    key = SigningKey.from_pem(pem_of(rfc_key))
    other = SigningKey.from_pem(pem_of(ed25519.Ed25519PrivateKey.generate()))
    jws = balai.sign_credential(CREDENTIAL, key)
    with pytest.raises(balai.ValidationError, match=re.escape("header.kid")):
        balai.verify_credential(jws, other.verification_key)
    with pytest.raises(InvalidSignature):
        independent_verify(jws, other.verification_key.public_bytes)

    def signed(header: dict[str, str], signer: ed25519.Ed25519PrivateKey) -> str:
        signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(CREDENTIAL.encode())}"
        return f"{signing_input}.{b64url(signer.sign(signing_input.encode()))}"

    # Made by cryptography alone, without a kid: balai verifies it.
    plain = signed({"alg": "EdDSA", "typ": "vc+jwt"}, rfc_key)
    assert balai.verify_credential(plain, key.verification_key) == CREDENTIAL
    other_private = ed25519.Ed25519PrivateKey.generate()
    with pytest.raises(balai.ValidationError, match="signature"):
        balai.verify_credential(
            signed({"alg": "EdDSA", "typ": "vc+jwt"}, other_private),
            key.verification_key,
        )
    for header, field in [
        ({"alg": "ES256", "typ": "vc+jwt"}, "header.alg"),
        ({"alg": "none", "typ": "vc+jwt"}, "header.alg"),
        ({"alg": "EdDSA", "typ": "JWT"}, "header.typ"),
        ({"alg": "EdDSA"}, "header.typ"),
        ({"alg": "EdDSA", "typ": "vc+jwt", "cty": "vp"}, "header.cty"),
    ]:
        with pytest.raises(balai.ValidationError, match=re.escape(field)):
            balai.verify_credential(signed(header, rfc_key), key.verification_key)


def test_signed_open_badge_credential_with_did_key_issuer(
    certificate: Certificate,
) -> None:
    private = ed25519.Ed25519PrivateKey.generate()
    key = SigningKey.from_pem(pem_of(private))
    jws = balai.signed_open_badge_credential(
        certificate,
        key,
        issuer_name="Kementerian UMKM",
        achievement_id="https://umkm.example.go.id/achievements/pkn-2027",
    )
    header, payload = independent_verify(jws, raw_public(private))
    credential = json.loads(payload)
    assert credential["issuer"]["id"] == key.verification_key.did_key
    assert did_key_bytes(credential["issuer"]["id"]) == raw_public(private)
    assert header["kid"] == key.verification_key.did_key_id
    assert "OpenBadgeCredential" in credential["type"]
    assert credential["verificationCode"] == certificate.verification_code
    assert balai.verify_credential(jws, VerificationKey.from_did_key(header["kid"])) == (
        payload.decode()
    )
    # The did:key itself is key enough.
    assert balai.verify_credential(jws, credential["issuer"]["id"]) == payload.decode()
    with pytest.raises(balai.ValidationError, match="did"):
        balai.verify_credential(jws, "https://umkm.example.go.id/issuer")


def test_signed_open_badge_credential_with_https_issuer(
    certificate: Certificate,
) -> None:
    private = ed25519.Ed25519PrivateKey.generate()
    key = SigningKey.from_pem(pem_of(private))
    jws = balai.signed_open_badge_credential(
        certificate,
        key,
        issuer_id="https://umkm.example.go.id/issuer",
        issuer_name="Kementerian UMKM",
        achievement_id="https://umkm.example.go.id/achievements/pkn-2027",
    )
    # The issuer publishes {"keys": [key.verification_key.jwk()]}; a verifier finds the
    # JWK by the JWS's kid.
    jwks = {"keys": [json.loads(key.verification_key.jwk())]}
    header, payload = independent_verify(jws, raw_public(private))
    (jwk,) = [k for k in jwks["keys"] if k["kid"] == header["kid"]]
    assert b64url_decode(jwk["x"]) == raw_public(private)
    assert json.loads(payload)["issuer"]["id"] == "https://umkm.example.go.id/issuer"
    assert balai.sign_credential(payload.decode(), key, kid=KeyIdForm.jwk_thumbprint) == jws
    with pytest.raises(balai.ValidationError, match="issuer_id"):
        balai.signed_open_badge_credential(
            certificate,
            key,
            issuer_id=SigningKey.from_pem(
                pem_of(ed25519.Ed25519PrivateKey.generate())
            ).verification_key.did_key,
            issuer_name="Kementerian UMKM",
            achievement_id="https://umkm.example.go.id/achievements/pkn-2027",
        )


def test_the_private_key_is_never_shown_pickled_or_copied(
    rfc_key: ed25519.Ed25519PrivateKey, tmp_path: Path, certificate: Certificate
) -> None:
    pem = pem_of(rfc_key)
    path = tmp_path / "issuer.pem"
    path.write_text(pem)
    key = SigningKey.from_pem_file(path)
    assert key.verification_key == SigningKey.from_pem(pem).verification_key
    secret = b64url_decode(RFC_D)
    body = "".join(pem.splitlines()[1:-1])
    jws = balai.sign_credential(CREDENTIAL, key)
    badge = balai.signed_open_badge_credential(
        certificate,
        key,
        issuer_name="Kementerian UMKM",
        achievement_id="https://x.id/a",
    )
    shown = [repr(key), str(key), jws, badge, key.verification_key.jwk(),
             repr(key.verification_key)]  # fmt: skip
    for text in shown:
        for form in (RFC_D, secret.hex(), body, base64.b64encode(secret).decode()):
            assert form not in text
    assert "Ed25519" in repr(key)
    assert not any("private" in name or name == "pem" for name in dir(key))
    for attempt in (pickle.dumps, copy.copy, copy.deepcopy):
        with pytest.raises(TypeError, match="SigningKey"):
            attempt(key)
    # The public half is a value: it pickles and its repr makes it again.
    public = key.verification_key
    assert pickle.loads(pickle.dumps(public)) == public
    assert eval(repr(public), {"VerificationKey": VerificationKey}) == public


def test_bad_pem_and_other_key_types_are_refused_without_their_bytes(
    tmp_path: Path,
) -> None:
    for other, kind in [
        (pem_of(ed448.Ed448PrivateKey.generate()), "ED448"),
        (pem_of(ec.generate_private_key(ec.SECP384R1())), "EC secp384r1"),
    ]:
        with pytest.raises(balai.ValidationError, match=kind) as refused:
            SigningKey.from_pem(other)
        assert refused.value.problems[0].field == "pem"
        for line in other.splitlines()[1:-1]:
            assert line not in str(refused.value)
    body = "".join(other.splitlines()[1:-1])
    with pytest.raises(balai.ValidationError, match="bytes, no PEM BEGIN line") as bare:
        SigningKey.from_pem(body)
    assert body[:16] not in str(bare.value)
    with pytest.raises(balai.ValidationError, match=re.escape("missing.pem")) as missing:
        SigningKey.from_pem_file(tmp_path / "missing.pem")
    assert missing.value.problems[0].field == "path"
    with pytest.raises(balai.ValidationError, match='"d"'):
        VerificationKey.from_jwk(
            json.dumps({"kty": "OKP", "crv": "Ed25519", "x": RFC_X, "d": RFC_D})
        )
    with pytest.raises(balai.ValidationError, match="credential"):
        balai.sign_credential(
            "[1, 2]", SigningKey.from_pem(pem_of(ed25519.Ed25519PrivateKey.generate()))
        )


def es256_verify(jws: str, public_key: ec.EllipticCurvePublicKey) -> bytes:
    """The payload of an ES256 vc+jwt, verified without balai; raises otherwise."""
    header_part, payload_part, signature_part = jws.split(".")
    header = json.loads(b64url_decode(header_part))
    if header.get("alg") != "ES256" or header.get("typ") != "vc+jwt":
        raise ValueError(f"not an ES256 vc+jwt: {header}")
    signature = b64url_decode(signature_part)
    if len(signature) != 64:
        raise ValueError("not r and s of 32 bytes each")
    r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    public_key.verify(
        utils.encode_dss_signature(r, s),
        f"{header_part}.{payload_part}".encode("ascii"),
        ec.ECDSA(hashes.SHA256()),
    )
    return b64url_decode(payload_part)


def test_es256_credential_verifies_independently(certificate: Certificate) -> None:
    private = ec.generate_private_key(ec.SECP256R1())
    key = SigningKey.from_pem(pem_of(private))
    public = key.verification_key
    assert public.algorithm == KeyAlgorithm.p256
    assert public.jws_algorithm == "ES256"
    assert repr(key) == "<SigningKey: P-256, not shown>"
    uncompressed = private.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    assert public.public_bytes == uncompressed
    # did:key: 0x80 0x24 (p256-pub) and the compressed point, decoded here.
    decoded = base58_decode(public.did_key.removeprefix("did:key:z"))
    assert decoded[:2] == b"\x80\x24"
    point = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), decoded[2:])
    assert point.public_numbers() == private.public_key().public_numbers()
    jwk = json.loads(public.jwk())
    assert b64url_decode(jwk["x"]) + b64url_decode(jwk["y"]) == uncompressed[1:]
    assert VerificationKey.from_jwk(public.jwk()) == public

    jws = balai.signed_open_badge_credential(
        certificate,
        key,
        issuer_name="Kementerian UMKM",
        achievement_id="https://x.id/a",
    )
    payload = es256_verify(jws, private.public_key())
    assert json.loads(payload)["issuer"]["id"] == public.did_key
    assert balai.verify_credential(jws, public.did_key) == payload.decode()
    for at, char in enumerate(jws):
        if char == ".":
            continue
        changed = jws[:at] + ("B" if char == "A" else "A") + jws[at + 1 :]
        with pytest.raises(balai.ValidationError):
            balai.verify_credential(changed, public)
        with pytest.raises((ValueError, InvalidSignature)):
            es256_verify(changed, private.public_key())
    # A token cryptography signs verifies in balai; an EdDSA key refuses it.
    header = b64url(json.dumps({"alg": "ES256", "typ": "vc+jwt"}).encode())
    signing_input = f"{header}.{b64url(CREDENTIAL.encode())}"
    r, s = utils.decode_dss_signature(
        private.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256()))
    )
    theirs = f"{signing_input}.{b64url(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"
    assert balai.verify_credential(theirs, public) == CREDENTIAL
    eddsa = SigningKey.from_pem(pem_of(ed25519.Ed25519PrivateKey.generate()))
    with pytest.raises(balai.ValidationError, match=re.escape("header.alg")):
        balai.verify_credential(theirs, eddsa.verification_key)
