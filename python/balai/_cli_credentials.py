"""``balai credentials``: what a program officer does with certificates of completion.

    balai credentials issue  --plan DIR --journal FILE --registry FILE --registry-key FILE
    balai credentials revoke --registry FILE --registry-key FILE --serial S --reason TEXT
    balai credentials write  --registry FILE --registry-key FILE --out DIR
                             --issuer-name NAME --achievement-id IRI [--signing-key PEM]
                             [--status-list IRI] [--issuer-id IRI]

The registry lives in a CSV file (balai.registry_file) under the file's lock; a command
that fails leaves it as it was. Each change prints the registry's new seal, to be kept
apart from the file and given back as --seal, which proves that no newest record was
dropped (docs/exports.md, "Sealed records").
"""

from __future__ import annotations

import argparse
import contextlib
from pathlib import Path
from typing import Any

from balai._cli_common import (
    UsageError,
    add_journal_arguments,
    instant,
    instant_or_now,
    journal_ledger,
)
from balai._core import CertificateRegistry, SigningKey
from balai.credentials import write_credentials
from balai.registry_file import open_registry


def _registry(
    arguments: argparse.Namespace, *, create: bool = False
) -> contextlib.AbstractContextManager[CertificateRegistry]:
    """The registry file the arguments name, opened under its lock (open_registry)."""
    if not arguments.registry_key.is_file():
        raise UsageError(f"no such key file: {arguments.registry_key}")
    if not create and not arguments.registry.is_file():
        raise UsageError(
            f"no such registry: {arguments.registry} (balai credentials issue --create starts one)"
        )
    return open_registry(
        arguments.registry,
        arguments.registry_key.read_bytes(),
        seal=arguments.seal,
        validity_days=arguments.validity_days,
        create=create,
    )


def _changed(registry: CertificateRegistry, arguments: argparse.Namespace, what: str) -> None:
    print(f"balai: {what}; {len(registry):,} certificates in {arguments.registry}")
    print(f"balai: the registry's seal is now {registry.seal} (keep it apart; pass it as --seal)")


def _issue(arguments: argparse.Namespace) -> int:
    """Issues a certificate to every registration the journal shows completed."""
    ledger = journal_ledger(arguments.plan, arguments.journal)
    now = instant_or_now(arguments.now)
    with _registry(arguments, create=arguments.create) as registry:
        issued = registry.issue_all(ledger, now=now)
    _changed(registry, arguments, f"{issued:,} certificates issued")
    return 0


def _revoke(arguments: argparse.Namespace) -> int:
    """Revokes one certificate; the status list says so once it is written again."""
    when = instant_or_now(arguments.time)
    with _registry(arguments) as registry:
        registry.revoke(arguments.serial, reason=arguments.reason, time=when)
    _changed(registry, arguments, f"certificate {arguments.serial} revoked")
    print("balai: write the credentials again (balai credentials write) to publish it")
    return 0


def _write(arguments: argparse.Namespace) -> int:
    """Writes every certificate as an Open Badges 3.0 credential, and the status list."""
    key = None
    if arguments.signing_key is not None:
        if not arguments.signing_key.is_file():
            raise UsageError(f"no such signing key: {arguments.signing_key}")
        key = SigningKey.from_pem_file(str(arguments.signing_key))
    at = instant_or_now(arguments.at)
    with _registry(arguments) as registry:
        count = write_credentials(
            registry,
            arguments.out,
            issuer_name=arguments.issuer_name,
            achievement_id=arguments.achievement_id,
            issuer_id=arguments.issuer_id,
            key=key,
            status_list=arguments.status_list,
            at=at,
        )
    listed = " and the status list" if arguments.status_list else ""
    kind = "signed" if key is not None else "unsigned"
    print(f"balai: {count:,} {kind} credentials{listed} written to {arguments.out}")
    return 0


def _add_registry_arguments(parser: argparse.ArgumentParser) -> None:
    registry = parser.add_argument_group("the registry")
    registry.add_argument(
        "--registry", type=Path, required=True, metavar="FILE", help="the registry's CSV file"
    )
    registry.add_argument(
        "--registry-key",
        type=Path,
        required=True,
        metavar="FILE",
        help="the registry's secret key (at least 32 bytes), which makes codes and seals",
    )
    registry.add_argument(
        "--seal", metavar="HEX", help="the seal an earlier command printed: refuse an older file"
    )
    registry.add_argument(
        "--validity-days",
        type=int,
        default=1826,
        metavar="N",
        help="how long a new certificate is valid (1826: five years)",
    )


def add_credentials_command(commands: Any) -> None:
    credentials = commands.add_parser(
        "credentials",
        help="issue, revoke and write certificates of completion",
        description=(
            "Keeps the program's certificate registry in a CSV file: issue certificates to "
            "the registrations a journal shows completed, revoke one, and write them all as "
            "Open Badges 3.0 credentials (signed with a PEM key) with the W3C Bitstring "
            "Status List that tells verifiers which are revoked (docs/exports.md)."
        ),
    )
    actions = credentials.add_subparsers(title="actions", metavar="ACTION", required=True)

    issue = actions.add_parser(
        "issue",
        help="issue a certificate to every registration that completed",
        description=(
            "Reads the journal of a planned pilot and issues a certificate to every "
            "registration completed at --now that has no valid one."
        ),
    )
    add_journal_arguments(issue)
    issue.add_argument("--now", type=instant, metavar="TIME", help="RFC 3339 (default: now)")
    issue.add_argument("--create", action="store_true", help="start the registry file if absent")
    _add_registry_arguments(issue)
    issue.set_defaults(run=_issue)

    revoke = actions.add_parser(
        "revoke",
        help="revoke one certificate",
        description="Revokes a certificate from --time on, for --reason.",
    )
    revoke.add_argument("--serial", required=True, help="the certificate's serial (a UUID)")
    revoke.add_argument("--reason", required=True, help="why, in a few words")
    revoke.add_argument("--time", type=instant, metavar="TIME", help="RFC 3339 (default: now)")
    _add_registry_arguments(revoke)
    revoke.set_defaults(run=_revoke)

    write = actions.add_parser(
        "write",
        help="write the certificates as Open Badges 3.0 credentials and the status list",
        description=(
            "Writes <serial>.jwt for every certificate, signed with --signing-key (or "
            "unsigned <serial>.json with --issuer-id), and with --status-list the "
            "revocation list as of --at beside them, for the web server that publishes "
            "them."
        ),
    )
    write.add_argument("--out", type=Path, required=True, metavar="DIR", help="the folder")
    write.add_argument("--issuer-name", required=True, metavar="NAME", help="the issuer's name")
    write.add_argument(
        "--achievement-id", required=True, metavar="IRI", help="the program's achievement"
    )
    write.add_argument(
        "--issuer-id",
        metavar="IRI",
        help="an https issuer that publishes the key (default with a key: its did:key)",
    )
    write.add_argument(
        "--signing-key", type=Path, metavar="PEM", help="an Ed25519 or P-256 private key"
    )
    write.add_argument(
        "--status-list", metavar="IRI", help="where the status list will be published"
    )
    write.add_argument("--at", type=instant, metavar="TIME", help="RFC 3339 (default: now)")
    _add_registry_arguments(write)
    write.set_defaults(run=_write)
