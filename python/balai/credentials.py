"""A registry's certificates as Open Badges 3.0 credential files, for the ministry's web
server or a wallet provider to pick up (docs/exports.md): one file per certificate, signed
(``<serial>.jwt``, VC-JOSE) when a key is given and unsigned JSON-LD (``<serial>.json``)
otherwise, and the revocation status list beside them. One credential is in memory at a
time, and every file is written whole or not at all (a temporary file synced and renamed,
as for the pilot's outputs)."""

from __future__ import annotations

import os
from pathlib import Path

from balai import _core
from balai._core import (
    Certificate,
    CertificateRegistry,
    SigningKey,
    open_badge_credential,
    signed_open_badge_credential,
    signed_status_list_credential,
    status_list_credential,
)
from balai._files import write_atomically

PathLike = str | os.PathLike[str]

#: The status list's file name in the directory (``.jwt`` signed, ``.json`` unsigned).
STATUS_LIST_FILE = "status-list"


def write_credentials(
    registry: CertificateRegistry,
    directory: PathLike,
    *,
    issuer_name: str,
    achievement_id: str,
    issuer_id: str | None = None,
    key: SigningKey | None = None,
    terms_iri: str = "https://balai.example/ns#",
    status_list: str | None = None,
    at: int | None = None,
) -> int:
    """Writes every certificate of `registry` into `directory` (made if needed) and returns
    how many. With `status_list` (the IRI the list is published at), each credential
    carries its BitstringStatusListEntry and the list as of `at` (Unix seconds, required
    then) is written too. Without `key` the credentials are unsigned and need `issuer_id`;
    with it they are signed, and the issuer is the key's did:key unless `issuer_id` names
    an https issuer that publishes the key. ValidationError (before any file) for bad
    options; balai.Error if a file cannot be written."""
    if at is not None and not -(2**63) <= at < 2**63:
        _refuse("at", str(at), "Unix seconds must fit in 64 bits")
    if status_list is not None and at is None:
        _refuse("at", "None", "is needed with status_list: the list's revocations as of when")
    suffix = ".json" if key is None else ".jwt"
    listed_in = registry if status_list else None

    def credential(certificate: Certificate) -> str:
        if key is None:
            return open_badge_credential(
                certificate,
                issuer_id=issuer_id or "",
                issuer_name=issuer_name,
                achievement_id=achievement_id,
                terms_iri=terms_iri,
                registry=listed_in,
                status_list=status_list,
            )
        return signed_open_badge_credential(
            certificate,
            key,
            issuer_id=issuer_id,
            issuer_name=issuer_name,
            achievement_id=achievement_id,
            terms_iri=terms_iri,
            registry=listed_in,
            status_list=status_list,
        )

    # Everything that can refuse the options does so before the directory is touched: the
    # list, and the first credential.
    listed = None
    if status_list is not None and at is not None:
        listed = (
            status_list_credential(registry, id=status_list, issuer_id=issuer_id or "", at=at)
            if key is None
            else signed_status_list_credential(
                registry, key, id=status_list, at=at, issuer_id=issuer_id
            )
        )
    records = registry.records()
    first = credential(records[0].certificate) if records else None
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    for n, record in enumerate(records):
        text = first if n == 0 and first is not None else credential(record.certificate)
        write_atomically(folder / f"{record.certificate.serial}{suffix}", text.encode("utf-8"))
    if listed is not None:
        write_atomically(folder / f"{STATUS_LIST_FILE}{suffix}", listed.encode("utf-8"))
    return len(records)


def _refuse(field: str, value: str, message: str) -> None:
    problem = _core.Problem(where="write_credentials", field=field, value=value, message=message)
    raise _core._validation_error([problem])
