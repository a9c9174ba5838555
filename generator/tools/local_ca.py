"""The certificates of `quizgen serve --https`: a local certificate authority, made once, and a server
certificate it signs for this computer's addresses, made again when they change.

Phones run a study page's service worker (its offline copy) only over https with a certificate they
trust. A self-signed server certificate cannot be trusted once for good (it changes with the
address), so quizgen makes its own small authority, which the learner trusts once per phone (README:
*Serving over https*), and signs with it a certificate for every address of this computer. The
authority may sign only private addresses (10/8, 172.16/12, 192.168/16, 127/8, fd00::/8) and
`localhost` (name constraints), so its key, were it copied, could not vouch for any public site.

The files lie beside the served folder, in `<folder>-https/` (never inside: nothing there is served
but the authority's certificate, at /api/ca.pem): `quizgen-local-ca.pem` (the certificate to trust),
`quizgen-local-ca.key`, `server.pem` and `server.key` (keys readable by their owner only).
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from generator.errors import UsageError

CA_NAME = "quizgen-local-ca.pem"
PRIVATE = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "fd00::/8")
SERVER_DAYS = 397  # what Apple and Chrome accept for a server certificate
CA_DAYS = 3650


@dataclass(frozen=True)
class Certificates:
    folder: Path
    ca: Path
    cert: Path
    key: Path
    made: bool  # the server certificate was (re)made this time


def https_folder(root: Path) -> Path:
    return root.parent / f"{root.name}-https"


def _write_private(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def ensure(root: Path, addresses: list[str], *, now: datetime.datetime | None = None) -> Certificates:
    """The authority (made on first use) and a server certificate valid now for `addresses`,
    127.0.0.1 and localhost (made again when an address is new or it ends within 30 days)."""
    try:
        # the serve extra, only for serve --https
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    except ImportError:
        raise UsageError("--https needs the serve extra: pip install -e '.[serve]' in the quizgen folder") from None
    now = now or datetime.datetime.now(datetime.timezone.utc)
    folder = https_folder(root)
    folder.mkdir(exist_ok=True)
    ca_path, ca_key_path = folder / CA_NAME, folder / "quizgen-local-ca.key"
    cert_path, key_path = folder / "server.pem", folder / "server.key"
    pem = serialization.Encoding.PEM
    if not (ca_path.is_file() and ca_key_path.is_file()):
        ca_key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"quizgen local CA ({socket.gethostname()[:30]})"),
                          x509.NameAttribute(NameOID.ORGANIZATION_NAME, "quizgen serve --https")])
        ca = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(ca_key.public_key())
              .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
              .not_valid_after(now + datetime.timedelta(days=CA_DAYS))
              .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
              .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                           data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                                           encipher_only=False, decipher_only=False), critical=True)
              .add_extension(x509.NameConstraints(
                  permitted_subtrees=[x509.IPAddress(ipaddress.ip_network(n)) for n in PRIVATE] + [x509.DNSName("localhost")],
                  excluded_subtrees=None), critical=True)
              .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
              .sign(ca_key, hashes.SHA256()))
        _write_private(ca_key_path, ca_key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        _write(ca_path, ca.public_bytes(pem))
        cert_path.unlink(missing_ok=True)
    ca = x509.load_pem_x509_certificate(ca_path.read_bytes())
    loaded = serialization.load_pem_private_key(ca_key_path.read_bytes(), None)
    if not isinstance(loaded, ec.EllipticCurvePrivateKey):
        raise UsageError(f"{ca_key_path} is not the key quizgen made; delete {folder} to make a new authority")
    ca_key = loaded
    wanted = {ipaddress.ip_address(a) for a in [*addresses, "127.0.0.1"] if _private(a)}
    if cert_path.is_file() and key_path.is_file():
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        have = set(cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(x509.IPAddress))
        fresh = (cert.not_valid_before_utc <= now and cert.not_valid_after_utc - now > datetime.timedelta(days=30)
                 and cert.issuer == ca.subject)
        if fresh and wanted <= have:
            return Certificates(folder, ca_path, cert_path, key_path, made=False)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "quizgen serve")]))
            .issuer_name(ca.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=SERVER_DAYS))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"), *(x509.IPAddress(a) for a in sorted(wanted, key=str))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    _write_private(key_path, key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    _write(cert_path, cert.public_bytes(pem))
    return Certificates(folder, ca_path, cert_path, key_path, made=True)


def _private(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(n) for n in PRIVATE if ipaddress.ip_network(n).version == ip.version)
