"""`quizgen serve --https`: the local authority and the server certificate quizgen makes, checked by a
real TLS client that trusts only that authority."""

from __future__ import annotations

import datetime
import http.client
import ssl
import stat
import threading

import pytest

pytest.importorskip("cryptography", reason="--https needs the serve extra")

from cryptography import x509  # noqa: E402
from test_sync import built  # noqa: E402, F401 (the fixtures built into a folder once)

from generator.tools.local_ca import ensure, https_folder  # noqa: E402
from generator.tools.serve import Site, StudyServer, tls_context  # noqa: E402


def test_a_phone_that_trusts_the_authority_gets_the_page_over_https(built):  # noqa: F811
    made = ensure(built, ["192.168.1.20", "203.0.113.9"])
    assert made.folder == https_folder(built) and made.folder.parent == built.parent  # beside, never inside
    for private in (made.key, made.folder / "quizgen-local-ca.key"):
        assert stat.S_IMODE(private.stat().st_mode) == 0o600
    cert = x509.load_pem_x509_certificate(made.cert.read_bytes())
    ips = {str(a) for a in cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(x509.IPAddress)}
    assert ips == {"192.168.1.20", "127.0.0.1"}  # a public address is never vouched for (name constraints)
    server = StudyServer(Site(built), "127.0.0.1", 0, tls=tls_context(made.cert, made.key))
    server.ca_certificate = made.ca
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        phone = ssl.create_default_context(cafile=str(made.ca))  # trusts quizgen's authority and nothing else
        for path, status in (("/mini-study.html", 200), ("/api/ca.pem", 200)):
            connection = http.client.HTTPSConnection("127.0.0.1", server.port, context=phone, timeout=10)
            connection.request("GET", path)
            response = connection.getresponse()
            body = response.read()
            connection.close()
            assert response.status == status
        assert body == made.ca.read_bytes() and response.getheader("Content-Type") == "application/x-x509-ca-cert"
        stranger = ssl.create_default_context()  # the system's authorities only: the certificate is refused
        connection = http.client.HTTPSConnection("127.0.0.1", server.port, context=stranger, timeout=10)
        with pytest.raises(ssl.SSLCertVerificationError):
            connection.request("GET", "/mini-study.html")
        connection.close()
    finally:
        server.shutdown()
        server.server_close()


def test_the_certificate_is_kept_then_made_again_for_a_new_address_by_the_same_authority(built):  # noqa: F811
    first = ensure(built, ["192.168.1.20"])
    authority = first.ca.read_bytes()
    assert ensure(built, ["192.168.1.20"]).made is False
    moved = ensure(built, ["192.168.1.20", "10.0.0.7"])  # a new DHCP address
    assert moved.made is True and moved.ca.read_bytes() == authority  # the phones trust it still
    later = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=380)
    assert ensure(built, ["192.168.1.20", "10.0.0.7"], now=later).made is True  # renewed before it ends


def test_serve_https_makes_its_certificate_and_says_how_to_trust_it(built):  # noqa: F811
    import signal

    from test_serve import serve_process

    process, lines = serve_process(built, "--https")
    try:
        url = lines[1].strip()
        assert url.startswith("https://127.0.0.1:")
        phone = ssl.create_default_context(cafile=str(https_folder(built) / "quizgen-local-ca.pem"))
        connection = http.client.HTTPSConnection("127.0.0.1", int(url.split(":")[2].rstrip("/")), context=phone, timeout=10)
        connection.request("GET", "/mini-study.html")
        assert connection.getresponse().status == 200
        connection.close()
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=20)
    assert "quizgen's local authority" in err and "/api/ca.pem" in err
    assert process.returncode == 0
