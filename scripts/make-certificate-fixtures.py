#!/usr/bin/env python3
"""Writes the certificate checks' fixtures (fixtures/<check>/<case>/) with real X.509 certificates.

Each case is a snapshot plus expected.txt; the comments in expected.txt say why each certificate does or
does not fire. Keys are fresh on every run, so certificate ids change: rerun only to add or change cases,
and review the expected.txt diff. Needs python3-cryptography.
Usage: scripts/make-certificate-fixtures.py [CHECK_NAME_PREFIX]
"""
import datetime as dt
import hashlib
import json
import os
import shutil
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "fixtures")
ACCOUNT, REGION = "123456789012", "us-east-1"
NOW = dt.datetime(2026, 10, 2, 16, 40, 5, tzinfo=dt.timezone.utc)  # manifest.exportedAt of every case
DAY, SECOND = dt.timedelta(days=1), dt.timedelta(seconds=1)


def iso(t):
    return t.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class Cert:
    def __init__(self, cn, not_before=NOW - 400 * DAY, not_after=NOW + 400 * DAY, key=None, issuer=None,
                 is_ca=False, hash_algorithm=None, serial=None):
        self.key = key or ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Contoso Labs"),
                          x509.NameAttribute(NameOID.COMMON_NAME, cn)])
        signer = issuer or self
        builder = (x509.CertificateBuilder()
                   .subject_name(name)
                   .issuer_name(signer.name if issuer else name)
                   .public_key(self.key.public_key())
                   .serial_number(serial or x509.random_serial_number())
                   .not_valid_before(not_before)
                   .not_valid_after(not_after)
                   .add_extension(x509.BasicConstraints(ca=is_ca, path_length=None), critical=True)
                   .add_extension(x509.SubjectKeyIdentifier.from_public_key(self.key.public_key()), critical=False))
        signer_key = signer.key
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(signer_key.public_key()), critical=False)
        self.name = name
        self.cn = cn
        algorithm = hash_algorithm if hash_algorithm is not None else hashes.SHA256()
        self.cert = builder.sign(signer_key, algorithm)
        self.der = self.cert.public_bytes(serialization.Encoding.DER)
        self.pem = self.cert.public_bytes(serialization.Encoding.PEM).decode()
        self.id = hashlib.sha256(self.der).hexdigest()
        self.not_before, self.not_after = not_before, not_after

    def short(self):
        return self.id[:12] + "..."


class PemCert(Cert):
    """A certificate read from tests/data/x509 (a test vector) instead of made here."""

    def __init__(self, file_name):
        with open(os.path.join(ROOT, "tests", "data", "x509", file_name), "rb") as f:
            self.cert = x509.load_pem_x509_certificate(f.read())
        self.der = self.cert.public_bytes(serialization.Encoding.DER)
        self.pem = self.cert.public_bytes(serialization.Encoding.PEM).decode()
        self.id = hashlib.sha256(self.der).hexdigest()
        self.not_before, self.not_after = self.cert.not_valid_before_utc, self.cert.not_valid_after_utc
        self.cn = file_name


class Sha1Cert(Cert):
    """A P-256 certificate signed with SHA-1, made with the openssl CLI (python-cryptography refuses SHA-1)."""

    def __init__(self, cn, issuer=None):
        import subprocess
        import tempfile
        self.key = ec.generate_private_key(ec.SECP256R1())
        with tempfile.TemporaryDirectory() as work:
            def path(name):
                return os.path.join(work, name)
            with open(path("key.pem"), "wb") as f:
                f.write(self.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
            subject = f"/O=Contoso Labs/CN={cn}"
            if issuer is None:
                subprocess.run(["openssl", "req", "-x509", "-new", "-key", path("key.pem"), "-sha1", "-days", "800",
                                "-subj", subject, "-out", path("cert.pem")], check=True, capture_output=True)
            else:
                with open(path("ca.pem"), "w") as f:
                    f.write(issuer.pem)
                with open(path("ca.key"), "wb") as f:
                    f.write(issuer.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                     serialization.NoEncryption()))
                subprocess.run(["openssl", "req", "-new", "-key", path("key.pem"), "-subj", subject, "-out",
                                path("csr.pem")], check=True, capture_output=True)
                subprocess.run(["openssl", "x509", "-req", "-in", path("csr.pem"), "-CA", path("ca.pem"), "-CAkey",
                                path("ca.key"), "-sha1", "-days", "800", "-set_serial", "4242", "-out",
                                path("cert.pem")], check=True, capture_output=True)
            with open(path("cert.pem"), "rb") as f:
                self.cert = x509.load_pem_x509_certificate(f.read())
        self.der = self.cert.public_bytes(serialization.Encoding.DER)
        self.pem = self.cert.public_bytes(serialization.Encoding.PEM).decode()
        self.id = hashlib.sha256(self.der).hexdigest()
        self.not_before, self.not_after = self.cert.not_valid_before_utc, self.cert.not_valid_after_utc
        self.cn = cn
        self.name = self.cert.subject


def description(cert, status="ACTIVE", created=None, ca=None, pem=None, **extra):
    d = {
        "certificateArn": f"arn:aws:iot:{REGION}:{ACCOUNT}:cert/{cert.id}",
        "certificateId": cert.id,
        "status": status,
        "certificatePem": cert.pem if pem is None else pem,
        "ownedBy": ACCOUNT,
        "creationDate": iso(created or cert.not_before),
        "lastModifiedDate": iso(created or cert.not_before),
        "customerVersion": 1,
        "validity": {"notBefore": iso(cert.not_before), "notAfter": iso(cert.not_after)},
        "certificateMode": "DEFAULT",
    }
    if ca is not None:
        d["caCertificateId"] = ca.id
    d.update(extra)
    return d


def ca_description(cert, status="ACTIVE", created=None, pem=None, **extra):
    d = {
        "certificateArn": f"arn:aws:iot:{REGION}:{ACCOUNT}:cacert/{cert.id}",
        "certificateId": cert.id,
        "status": status,
        "certificatePem": cert.pem if pem is None else pem,
        "ownedBy": ACCOUNT,
        "creationDate": iso(created or cert.not_before),
        "lastModifiedDate": iso(created or cert.not_before),
        "customerVersion": 1,
        "autoRegistrationStatus": "DISABLE",
        "validity": {"notBefore": iso(cert.not_before), "notAfter": iso(cert.not_after)},
        "certificateMode": "DEFAULT",
    }
    d.update(extra)
    return d


def write_case(check, case, expected, certificates=None, ca_certificates=None, configuration=None, extra_files=None):
    folder = os.path.join(FIXTURES, check.lower(), case)
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)

    def dump(name, value):
        with open(os.path.join(folder, name), "w") as out:
            json.dump(value, out, indent=2)
            out.write("\n")

    dump("manifest.json", {"formatVersion": 1, "exportedAt": iso(NOW), "accountId": ACCOUNT, "region": REGION})
    if certificates is not None:
        dump("certificates.json", {"certificateDescriptions": certificates})
    if ca_certificates is not None:
        dump("ca-certificates.json", {"certificateDescriptions": ca_certificates})
    if configuration is not None:
        dump("audit-configuration.json", {"auditCheckConfigurations": configuration})
    for name, content in (extra_files or {}).items():
        path = os.path.join(folder, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb" if isinstance(content, bytes) else "w") as out:
            out.write(content)
    with open(os.path.join(folder, "expected.txt"), "w") as out:
        out.write("\n".join(expected).strip() + "\n")


def finding(check, cert, reason, ca=False):
    return f"finding {check} {'caCertificateId' if ca else 'deviceCertificateId'}={cert.id} {reason}"


CASES = []


def case(function):
    CASES.append(function)
    return function


# ---------------------------------------------------------------- expiry and age

@case
def device_expiring():
    C = "DEVICE_CERTIFICATE_EXPIRING_CHECK"
    ca = Cert("Contoso Device CA", is_ca=True)
    soon = Cert("sensor-soon", not_after=NOW + 10 * DAY, issuer=ca)
    gone = Cert("sensor-expired", not_after=NOW - 5 * DAY, issuer=ca)
    fine = Cert("sensor-fine", not_after=NOW + 31 * DAY, issuer=ca)
    moving = Cert("sensor-moving", not_after=NOW + 3 * DAY, issuer=ca)
    off = Cert("sensor-off", not_after=NOW - 50 * DAY, issuer=ca)
    revoked = Cert("sensor-revoked", not_after=NOW + 2 * DAY, issuer=ca)
    write_case(C, "approaching-and-past", [
        f"# Audit clock {iso(NOW)} (manifest.exportedAt); default threshold 30 days.",
        f"# {soon.short()} ACTIVE, notAfter now+10d          -> approaching",
        f"# {gone.short()} ACTIVE, notAfter now-5d           -> past",
        f"# {fine.short()} ACTIVE, notAfter now+31d          -> no finding",
        f"# {moving.short()} PENDING_TRANSFER, notAfter now+3d -> approaching (in use)",
        f"# {off.short()} INACTIVE, expired                 -> ignored",
        f"# {revoked.short()} REVOKED, notAfter now+2d        -> ignored",
        f"check {C} non-compliant",
        finding(C, soon, "CERTIFICATE_APPROACHING_EXPIRATION"),
        finding(C, gone, "CERTIFICATE_PAST_EXPIRATION"),
        finding(C, moving, "CERTIFICATE_APPROACHING_EXPIRATION"),
    ], certificates=[description(soon, ca=ca), description(gone, ca=ca), description(fine, ca=ca),
                     description(moving, "PENDING_TRANSFER", ca=ca), description(off, "INACTIVE", ca=ca),
                     description(revoked, "REVOKED", ca=ca)])

    at_now = Cert("edge-now", not_after=NOW, issuer=ca)
    before_now = Cert("edge-now-minus-1s", not_after=NOW - SECOND, issuer=ca)
    after_now = Cert("edge-now-plus-1s", not_after=NOW + SECOND, issuer=ca)
    at_threshold = Cert("edge-30d", not_after=NOW + 30 * DAY, issuer=ca)
    inside = Cert("edge-30d-minus-1s", not_after=NOW + 30 * DAY - SECOND, issuer=ca)
    outside = Cert("edge-30d-plus-1s", not_after=NOW + 30 * DAY + SECOND, issuer=ca)
    write_case(C, "edges", [
        "# Both bounds are inclusive: approaching when notAfter <= now + 30d, past when notAfter <= now.",
        f"# {at_now.short()} notAfter == now        -> past",
        f"# {before_now.short()} notAfter == now - 1s   -> past",
        f"# {after_now.short()} notAfter == now + 1s   -> approaching",
        f"# {at_threshold.short()} notAfter == now + 30d  -> approaching",
        f"# {inside.short()} notAfter == now + 30d - 1s -> approaching",
        f"# {outside.short()} notAfter == now + 30d + 1s -> no finding",
        f"check {C} non-compliant",
        finding(C, at_now, "CERTIFICATE_PAST_EXPIRATION"),
        finding(C, before_now, "CERTIFICATE_PAST_EXPIRATION"),
        finding(C, after_now, "CERTIFICATE_APPROACHING_EXPIRATION"),
        finding(C, at_threshold, "CERTIFICATE_APPROACHING_EXPIRATION"),
        finding(C, inside, "CERTIFICATE_APPROACHING_EXPIRATION"),
    ], certificates=[description(c, ca=ca) for c in (at_now, before_now, after_now, at_threshold, inside, outside)])

    in_90 = Cert("sensor-60d", not_after=NOW + 60 * DAY, issuer=ca)
    out_90 = Cert("sensor-91d", not_after=NOW + 91 * DAY, issuer=ca)
    write_case(C, "configured-threshold", [
        "# audit-configuration.json sets CERT_EXPIRATION_THRESHOLD_IN_DAYS to 90.",
        f"# {in_90.short()} notAfter now+60d -> approaching (would not fire with the default 30)",
        f"# {out_90.short()} notAfter now+91d -> no finding",
        f"check {C} non-compliant",
        finding(C, in_90, "CERTIFICATE_APPROACHING_EXPIRATION"),
    ], certificates=[description(in_90, ca=ca), description(out_90, ca=ca)],
        configuration={C: {"enabled": True, "configuration": {"CERT_EXPIRATION_THRESHOLD_IN_DAYS": "90"}}})

    write_case(C, "threshold-not-a-number", [
        "# CERT_EXPIRATION_THRESHOLD_IN_DAYS is \"soon\": a configuration error naming the check and the value;",
        f"# the check still runs with the default 30 days, so {in_90.short()} (now+60d) does not fire.",
        f"check {C} compliant",
        "diagnostic audit-configuration.json: DEVICE_CERTIFICATE_EXPIRING_CHECK: CERT_EXPIRATION_THRESHOLD_IN_DAYS "
        "must be a whole number from 30 to 3652, got \"soon\"",
    ], certificates=[description(in_90, ca=ca)],
        configuration={C: {"enabled": True, "configuration": {"CERT_EXPIRATION_THRESHOLD_IN_DAYS": "soon"}}})

    write_case(C, "threshold-out-of-range", [
        "# CERT_EXPIRATION_THRESHOLD_IN_DAYS 3653 is above the maximum 3652: a configuration error; the default",
        f"# 30 days is used, so {in_90.short()} (now+60d) does not fire.",
        f"check {C} compliant",
        "diagnostic audit-configuration.json: DEVICE_CERTIFICATE_EXPIRING_CHECK: CERT_EXPIRATION_THRESHOLD_IN_DAYS "
        "must be a whole number from 30 to 3652, got \"3653\"",
    ], certificates=[description(in_90, ca=ca)],
        configuration={C: {"enabled": True, "configuration": {"CERT_EXPIRATION_THRESHOLD_IN_DAYS": "3653"}}})

    write_case(C, "certificates-missing", [
        "# No certificates.json: the check is not run.",
        f"check {C} not-run",
    ], ca_certificates=[ca_description(ca)])


@case
def ca_expiring():
    C = "CA_CERTIFICATE_EXPIRING_CHECK"
    soon = Cert("CA soon", not_after=NOW + 29 * DAY, is_ca=True)
    exact = Cert("CA 30d", not_after=NOW + 30 * DAY, is_ca=True)
    later = Cert("CA 30d+1s", not_after=NOW + 30 * DAY + SECOND, is_ca=True)
    gone = Cert("CA expired", not_after=NOW - SECOND, is_ca=True)
    off = Cert("CA inactive", not_after=NOW - 10 * DAY, is_ca=True)
    write_case(C, "approaching-and-past", [
        "# Fixed 30-day threshold, both bounds inclusive.",
        f"# {soon.short()} ACTIVE notAfter now+29d     -> approaching",
        f"# {exact.short()} ACTIVE notAfter now+30d     -> approaching",
        f"# {later.short()} ACTIVE notAfter now+30d+1s  -> no finding",
        f"# {gone.short()} ACTIVE notAfter now-1s      -> past",
        f"# {off.short()} INACTIVE, expired           -> ignored",
        f"check {C} non-compliant",
        finding(C, soon, "CERTIFICATE_APPROACHING_EXPIRATION", ca=True),
        finding(C, exact, "CERTIFICATE_APPROACHING_EXPIRATION", ca=True),
        finding(C, gone, "CERTIFICATE_PAST_EXPIRATION", ca=True),
    ], ca_certificates=[ca_description(soon), ca_description(exact), ca_description(later), ca_description(gone),
                        ca_description(off, "INACTIVE")])
    write_case(C, "all-valid", [
        f"# {later.short()} expires in 30 days and 1 second: not within the threshold.",
        f"check {C} compliant",
    ], ca_certificates=[ca_description(later)])
    write_case(C, "ca-certificates-missing", [
        "# No ca-certificates.json: the check is not run.",
        f"check {C} not-run",
    ], certificates=[description(Cert("device", issuer=soon), ca=soon)])


@case
def device_age():
    C = "DEVICE_CERTIFICATE_AGE_CHECK"
    ca = Cert("Contoso Device CA", is_ca=True)
    exact = Cert("age-365d", issuer=ca)
    young = Cert("age-365d-minus-1s", issuer=ca)
    old = Cert("age-365d-plus-1s", issuer=ca)
    moving = Cert("age-old-pending", issuer=ca)
    off = Cert("age-old-inactive", issuer=ca)
    write_case(C, "edges", [
        "# Default threshold 365 days, counted from creationDate; a certificate exactly 365 days old is reported.",
        f"# {exact.short()} ACTIVE created now-365d            -> finding",
        f"# {young.short()} ACTIVE created now-365d+1s         -> no finding",
        f"# {old.short()} ACTIVE created now-365d-1s         -> finding",
        f"# {moving.short()} PENDING_TRANSFER created now-900d -> finding",
        f"# {off.short()} INACTIVE created now-900d         -> ignored",
        f"check {C} non-compliant",
        finding(C, exact, "CERTIFICATE_PAST_AGE_THRESHOLD"),
        finding(C, old, "CERTIFICATE_PAST_AGE_THRESHOLD"),
        finding(C, moving, "CERTIFICATE_PAST_AGE_THRESHOLD"),
    ], certificates=[description(exact, ca=ca, created=NOW - 365 * DAY),
                     description(young, ca=ca, created=NOW - 365 * DAY + SECOND),
                     description(old, ca=ca, created=NOW - 365 * DAY - SECOND),
                     description(moving, "PENDING_TRANSFER", ca=ca, created=NOW - 900 * DAY),
                     description(off, "INACTIVE", ca=ca, created=NOW - 900 * DAY)])
    new = Cert("age-40d", issuer=ca)
    newer = Cert("age-20d", issuer=ca)
    write_case(C, "configured-threshold", [
        "# CERT_AGE_THRESHOLD_IN_DAYS is 30 in audit-configuration.json.",
        f"# {new.short()} created now-40d -> finding",
        f"# {newer.short()} created now-20d -> no finding",
        f"check {C} non-compliant",
        finding(C, new, "CERTIFICATE_PAST_AGE_THRESHOLD"),
    ], certificates=[description(new, ca=ca, created=NOW - 40 * DAY), description(newer, ca=ca, created=NOW - 20 * DAY)],
        configuration={C: {"enabled": True, "configuration": {"CERT_AGE_THRESHOLD_IN_DAYS": "30"}}})
    write_case(C, "all-young", [
        f"# {newer.short()} was registered 20 days ago: under the default 365 days.",
        f"check {C} compliant",
    ], certificates=[description(newer, ca=ca, created=NOW - 20 * DAY)])


# ---------------------------------------------------------------- key quality

@case
def key_quality():
    for C, ca_check in (("DEVICE_CERTIFICATE_KEY_QUALITY_CHECK", False), ("CA_CERTIFICATE_KEY_QUALITY_CHECK", True)):
        describe = ca_description if ca_check else description
        files = "ca_certificates" if ca_check else "certificates"
        roca_a = PemCert("roca-vulnerable-cert04-2050bit.pem")
        roca_b = PemCert("roca-vulnerable-rsa2048-cert.pem")
        safe = PemCert("roca-safe-cert06-2048bit.pem")
        weak_a = PemCert("weak-2048-hoefling-0.9.8c-x86-selfsigned.pem")
        weak_b = PemCert("weak-2048-pid32767-rnd-le64-selfsigned.pem")
        ec_key = Cert("ec-device", is_ca=ca_check)
        rsa_ok = Cert("rsa-device", key=rsa.generate_private_key(public_exponent=65537, key_size=2048), is_ca=ca_check)
        write_case(C, "roca", [
            "# ROCA (CVE-2017-15361), decided exactly from the modulus (test vectors from crocs-muni/roca, MIT).",
            f"# {roca_a.short()} cert04.pem, 2050-bit Infineon key, ACTIVE            -> finding",
            f"# {roca_b.short()} certificate around badkeys' rsa-roca.key, ACTIVE      -> finding",
            f"# {safe.short()} cert06.pem, 2048-bit ordinary key, ACTIVE            -> no finding",
            f"# {rsa_ok.short()} fresh RSA-2048 key, ACTIVE                          -> no finding",
            f"# {ec_key.short()} EC P-256 key: neither test applies                  -> no finding",
            f"check {C} non-compliant",
            finding(C, roca_a, "CERTIFICATE_KEY_VULNERABILITY_CVE-2017-15361", ca_check),
            finding(C, roca_b, "CERTIFICATE_KEY_VULNERABILITY_CVE-2017-15361", ca_check),
        ], **{files: [describe(c) for c in (roca_a, roca_b, safe, rsa_ok, ec_key)]})
        write_case(C, "debian-weak-keys", [
            "# Debian weak keys (CVE-2008-0166), looked up in the shipped partial blocklist (1226 entries).",
            f"# {weak_a.short()} hoefling's 0.9.8c key (PID 13, rnd, le32), in the sample     -> finding",
            f"# {weak_b.short()} PID 32767, rnd, le64, in the sample                          -> finding",
            f"# {rsa_ok.short()} fresh RSA-2048 key                                          -> no finding",
            f"check {C} non-compliant",
            finding(C, weak_a, "CERTIFICATE_KEY_VULNERABILITY_CVE-2008-0166", ca_check),
            finding(C, weak_b, "CERTIFICATE_KEY_VULNERABILITY_CVE-2008-0166", ca_check),
        ], **{files: [describe(weak_a), describe(weak_b), describe(rsa_ok)]})
        write_case(C, "not-in-use-ignored", [
            f"# The same weak keys, but INACTIVE{'' if ca_check else ' or REVOKED'}: not evaluated.",
            f"# {roca_a.short()} ROCA, INACTIVE -> ignored",
            f"# {weak_a.short()} Debian weak, {'INACTIVE' if ca_check else 'REVOKED'} -> ignored",
            f"check {C} compliant",
        ], **{files: [describe(roca_a, "INACTIVE"), describe(weak_a, "INACTIVE" if ca_check else "REVOKED")]})
        if not ca_check:
            moving = PemCert("roca-vulnerable-rsa2048-cert.pem")
            write_case(C, "pending-transfer", [
                f"# {moving.short()} ROCA key, PENDING_TRANSFER: still in use -> finding",
                f"check {C} non-compliant",
                finding(C, moving, "CERTIFICATE_KEY_VULNERABILITY_CVE-2017-15361"),
            ], certificates=[description(moving, "PENDING_TRANSFER")])


@case
def key_quality_unreadable():
    C = "DEVICE_CERTIFICATE_KEY_QUALITY_CHECK"
    roca = PemCert("roca-vulnerable-cert04-2050bit.pem")
    junk = Cert("trailing-junk")
    private = Cert("private-key")
    broken = Cert("broken-base64")
    key_pem = private.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption()).decode()
    write_case(C, "unreadable-pem", [
        "# Each unreadable certificatePem is an input problem (exit status 2), never a crash; the rest is evaluated.",
        f"# [0] {roca.short()} ROCA key, readable                     -> finding",
        f"# [1] {junk.short()} PEM followed by text                   -> input problem",
        f"# [2] {private.short()} a PRIVATE KEY where the certificate belongs -> input problem",
        f"# [3] {broken.short()} '*' in the base64 body                -> input problem",
        f"check {C} non-compliant",
        finding(C, roca, "CERTIFICATE_KEY_VULNERABILITY_CVE-2017-15361"),
        "diagnostic certificates.json:22:25: certificateDescriptions[1].certificatePem: cannot read the certificate: "
        "text after the -----END line",
        "diagnostic certificates.json:37:25: certificateDescriptions[2].certificatePem: cannot read the certificate: "
        "holds a private key (PRIVATE KEY), not a certificate; a private key in an export is compromised: replace it",
        "diagnostic certificates.json:52:25: certificateDescriptions[3].certificatePem: cannot read the certificate: "
        "invalid character in the base64 body",
    ], certificates=[description(roca), description(junk, pem=junk.pem + "garbage\n"),
                     description(private, pem=key_pem), description(broken, pem=broken.pem.replace("M", "*", 2))])


# ---------------------------------------------------------------- fleetaudit's own checks

def arn(cert):
    return f"arn:aws:iot:{REGION}:{ACCOUNT}:cert/{cert.id}"


def principals(pairs):
    return json.dumps({"thingPrincipals": [{"thingName": t, "principals": [arn(c) for c in certs]}
                                           for t, certs in pairs]}, indent=2) + "\n"


@case
def fleetaudit_weak_algorithm():
    C = "FLEETAUDIT_WEAK_CERTIFICATE_ALGORITHM_CHECK"
    ca = Cert("Contoso Device CA", is_ca=True)
    rsa1024 = Cert("rsa-1024", key=rsa.generate_private_key(public_exponent=65537, key_size=1024), issuer=ca)
    rsa2048 = Cert("rsa-2048", key=rsa.generate_private_key(public_exponent=65537, key_size=2048), issuer=ca)
    k1 = Cert("secp256k1", key=ec.generate_private_key(ec.SECP256K1()), issuer=ca)
    p384 = Cert("p-384", key=ec.generate_private_key(ec.SECP384R1()), issuer=ca)
    sha1 = Sha1Cert("sha1-signed", issuer=ca)
    off = Cert("rsa-1024-inactive", key=rsa.generate_private_key(public_exponent=65537, key_size=1024), issuer=ca)
    ca_sha1 = Sha1Cert("self-signed CA with SHA-1")
    ca_1024 = Cert("CA with RSA-1024", is_ca=True, key=rsa.generate_private_key(public_exponent=65537, key_size=1024))
    write_case(C, "weak-keys-and-signatures", [
        "# fleetaudit's own check: keys and signatures AWS IoT no longer accepts at registration.",
        f"# {rsa1024.short()} device, RSA-1024                      -> finding",
        f"# {rsa2048.short()} device, RSA-2048                      -> no finding",
        f"# {k1.short()} device, EC secp256k1 (not NIST)        -> finding",
        f"# {p384.short()} device, EC P-384                      -> no finding",
        f"# {sha1.short()} device, P-256 signed with SHA-1       -> finding",
        f"# {off.short()} device, RSA-1024 but INACTIVE         -> ignored",
        f"# {ca_sha1.short()} CA, self-signed with SHA-1 (P-256) -> no finding: a root's own signature is not relied on",
        f"# {ca_1024.short()} CA, RSA-1024                          -> finding",
        f"check {C} non-compliant",
        finding(C, rsa1024, "FLEETAUDIT_CERTIFICATE_ALGORITHM_TOO_WEAK"),
        finding(C, k1, "FLEETAUDIT_CERTIFICATE_ALGORITHM_TOO_WEAK"),
        finding(C, sha1, "FLEETAUDIT_CERTIFICATE_ALGORITHM_TOO_WEAK"),
        finding(C, ca_1024, "FLEETAUDIT_CERTIFICATE_ALGORITHM_TOO_WEAK", ca=True),
    ], certificates=[description(c, ca=ca) for c in (rsa1024, rsa2048, k1, p384, sha1)] + [description(off, "INACTIVE", ca=ca)],
        ca_certificates=[ca_description(ca), ca_description(ca_sha1), ca_description(ca_1024)])


@case
def fleetaudit_public_key():
    C = "FLEETAUDIT_PUBLIC_KEY_SHARED_CHECK"
    ca = Cert("Contoso Device CA", is_ca=True)
    firmware_key = ec.generate_private_key(ec.SECP256R1())
    clone_a = Cert("door-01", key=firmware_key, issuer=ca)
    clone_b = Cert("door-02", key=firmware_key, issuer=ca)
    clone_c = Cert("door-03", key=firmware_key, issuer=ca)
    renewal_key = ec.generate_private_key(ec.SECP256R1())
    old = Cert("pump-01 (2025)", key=renewal_key, issuer=ca)
    new = Cert("pump-01 (2026)", key=renewal_key, issuer=ca)
    retired_key = ec.generate_private_key(ec.SECP256R1())
    live = Cert("fan-01", key=retired_key, issuer=ca)
    dead = Cert("fan-02 (revoked)", key=retired_key, issuer=ca)
    own = Cert("light-01", issuer=ca)
    write_case(C, "cloned-and-renewed", [
        "# fleetaudit's own check: one public key in several certificates in use.",
        f"# {clone_a.short()}, {clone_b.short()}, {clone_c.short()}: one key, things door-01/02/03 -> one finding",
        f"#   on the first certificate id in sort order, listing all three certificates and things",
        f"# {old.short()} and {new.short()}: one key, both on pump-01 (a renewal)   -> no finding",
        f"# {live.short()} ACTIVE and {dead.short()} REVOKED share a key: one in use  -> no finding",
        f"# {own.short()} light-01's own key                                       -> no finding",
        f"check {C} non-compliant",
        finding(C, min((clone_a, clone_b, clone_c), key=lambda c: c.id), "FLEETAUDIT_PUBLIC_KEY_IN_SEVERAL_CERTIFICATES"),
    ], certificates=[description(c, ca=ca) for c in (clone_a, clone_b, clone_c, old, new, live, own)]
        + [description(dead, "REVOKED", ca=ca)],
        extra_files={"thing-principals.json": principals([("door-01", [clone_a]), ("door-02", [clone_b]),
                                                           ("door-03", [clone_c]), ("pump-01", [old, new]),
                                                           ("fan-01", [live]), ("fan-02", [dead]),
                                                           ("light-01", [own])])})
    write_case(C, "unattached-firmware-key", [
        f"# {clone_a.short()} and {clone_b.short()} share a key and are attached to no thing -> finding",
        f"check {C} non-compliant",
        finding(C, min((clone_a, clone_b), key=lambda c: c.id), "FLEETAUDIT_PUBLIC_KEY_IN_SEVERAL_CERTIFICATES"),
    ], certificates=[description(clone_a, ca=ca), description(clone_b, "PENDING_TRANSFER", ca=ca)])


@case
def fleetaudit_integrity():
    C = "FLEETAUDIT_CERTIFICATE_SNAPSHOT_INTEGRITY_CHECK"
    ca = Cert("Contoso Device CA", is_ca=True)
    good = Cert("good", issuer=ca)
    swapped_a = Cert("swapped-a", issuer=ca)
    swapped_b = Cert("swapped-b", issuer=ca)
    edited = Cert("edited-validity", issuer=ca)
    bad_ca = Cert("CA with edited notAfter", is_ca=True)
    wrong = description(swapped_a, ca=ca)
    wrong["certificatePem"] = swapped_b.pem
    wrong["validity"] = {"notBefore": iso(swapped_b.not_before), "notAfter": iso(swapped_b.not_after)}
    later = description(edited, "INACTIVE", ca=ca)
    later["validity"]["notAfter"] = iso(edited.not_after + 365 * DAY)
    ca_later = ca_description(bad_ca)
    ca_later["validity"]["notBefore"] = iso(bad_ca.not_before - DAY)
    write_case(C, "mismatches", [
        "# fleetaudit's own check: the description must match the certificate's bytes (every status).",
        f"# {good.short()} consistent                                           -> no finding",
        f"# {swapped_a.short()} description carries the PEM of another certificate -> id mismatch",
        f"# {edited.short()} INACTIVE, validity.notAfter moved a year later        -> validity mismatch",
        f"# CA {bad_ca.short()} validity.notBefore moved a day earlier               -> validity mismatch",
        f"check {C} non-compliant",
        finding(C, swapped_a, "FLEETAUDIT_CERTIFICATE_ID_MISMATCH"),
        finding(C, edited, "FLEETAUDIT_CERTIFICATE_VALIDITY_MISMATCH"),
        finding(C, bad_ca, "FLEETAUDIT_CERTIFICATE_VALIDITY_MISMATCH", ca=True),
    ], certificates=[description(good, ca=ca), wrong, later], ca_certificates=[ca_description(ca), ca_later])
    write_case(C, "consistent", [
        f"# {good.short()} and its CA match their PEMs -> compliant",
        f"check {C} compliant",
    ], certificates=[description(good, ca=ca)], ca_certificates=[ca_description(ca)])


@case
def fleetaudit_ca_not_active():
    C = "FLEETAUDIT_DEVICE_CERTIFICATE_CA_NOT_ACTIVE_CHECK"
    active_ca = Cert("Active CA", is_ca=True)
    retired_ca = Cert("Retired CA", is_ca=True)
    gone_ca = Cert("Deleted CA", is_ca=True)
    fine = Cert("fine", issuer=active_ca)
    orphan = Cert("under-retired", issuer=retired_ca)
    orphan_off = Cert("under-retired-inactive", issuer=retired_ca)
    lost = Cert("under-deleted", issuer=gone_ca)
    moving = Cert("under-retired-pending", issuer=retired_ca)
    aws_issued = Cert("aws-issued")
    write_case(C, "inactive-and-missing", [
        "# fleetaudit's own check: ACTIVE device certificates whose CA is INACTIVE or not registered.",
        f"# {fine.short()} ACTIVE under an ACTIVE CA                 -> no finding",
        f"# {orphan.short()} ACTIVE under INACTIVE CA {retired_ca.short()}  -> finding",
        f"# {orphan_off.short()} INACTIVE under the INACTIVE CA            -> ignored",
        f"# {moving.short()} PENDING_TRANSFER under the INACTIVE CA    -> ignored (the check is about ACTIVE)",
        f"# {lost.short()} ACTIVE, CA {gone_ca.short()} not in ca-certificates.json -> finding",
        f"# {aws_issued.short()} ACTIVE, no caCertificateId (AWS-issued)  -> not evaluated",
        f"check {C} non-compliant",
        finding(C, orphan, "FLEETAUDIT_CA_CERTIFICATE_INACTIVE"),
        finding(C, lost, "FLEETAUDIT_CA_CERTIFICATE_NOT_REGISTERED"),
    ], certificates=[description(fine, ca=active_ca), description(orphan, ca=retired_ca),
                     description(orphan_off, "INACTIVE", ca=retired_ca), description(moving, "PENDING_TRANSFER", ca=retired_ca),
                     description(lost, ca=gone_ca), description(aws_issued)],
        ca_certificates=[ca_description(active_ca), ca_description(retired_ca, "INACTIVE")])
    write_case(C, "ca-certificates-missing", [
        "# Without ca-certificates.json no CA status is known: not run.",
        f"check {C} not-run",
    ], certificates=[description(fine, ca=active_ca)])


# ---------------------------------------------------------------- revocation lists

def crl(issuer, revoked, next_update=NOW + 7 * DAY, signer_key=None, der=False):
    builder = (x509.CertificateRevocationListBuilder()
               .issuer_name(issuer.name)
               .last_update(NOW - DAY)
               .next_update(next_update)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
                              critical=False))
    for cert in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(cert.cert.serial_number).revocation_date(NOW - 2 * DAY).build())
    signed = builder.sign(signer_key or issuer.key, hashes.SHA256())
    return signed.public_bytes(serialization.Encoding.DER if der else serialization.Encoding.PEM)


@case
def revoked_device():
    C = "REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK"
    ca = Cert("Contoso Device CA", is_ca=True)
    other_ca = Cert("Fabrikam Device CA", is_ca=True)
    d1 = Cert("revoked-active", issuer=ca, serial=1001)
    d2 = Cert("not-revoked", issuer=ca, serial=1002)
    d3 = Cert("revoked-inactive", issuer=ca, serial=1003)
    d4 = Cert("revoked-pending", issuer=ca, serial=1004)
    devices = [description(d1, ca=ca), description(d2, ca=ca), description(d3, "INACTIVE", ca=ca),
               description(d4, "PENDING_TRANSFER", ca=ca)]
    cas = [ca_description(ca), ca_description(other_ca)]
    write_case(C, "revoked", [
        f"# crls/contoso.crl (DER, signed by the Contoso CA) revokes serials 1001, 1003 and 1004.",
        f"# {d1.short()} serial 1001, ACTIVE            -> finding",
        f"# {d2.short()} serial 1002, not on the list    -> no finding",
        f"# {d3.short()} serial 1003, INACTIVE          -> ignored",
        f"# {d4.short()} serial 1004, PENDING_TRANSFER  -> finding",
        f"check {C} non-compliant",
        finding(C, d1, "CERTIFICATE_REVOKED_BY_ISSUER"),
        finding(C, d4, "CERTIFICATE_REVOKED_BY_ISSUER"),
    ], certificates=devices, ca_certificates=cas,
        extra_files={"crls/contoso.crl": crl(ca, [d1, d3, d4], der=True)})
    other_serial = Cert("fabrikam device with serial 1001", issuer=other_ca, serial=1001)
    write_case(C, "crl-for-another-ca", [
        "# crls/fabrikam.pem (PEM, signed by the Fabrikam CA) revokes serial 1001 of the Fabrikam CA.",
        f"# {d1.short()} also has serial 1001, but was issued by the Contoso CA -> no finding",
        f"check {C} compliant",
    ], certificates=[description(d1, ca=ca)], ca_certificates=cas,
        extra_files={"crls/fabrikam.pem": crl(other_ca, [other_serial])})
    write_case(C, "expired-crl", [
        "# crls/contoso.pem expired (nextUpdate one second before the audit clock): an input problem.",
        "# Its revocations still count (a revocation is never undone), so",
        f"# {d1.short()} serial 1001, on the expired list -> finding",
        f"check {C} non-compliant",
        finding(C, d1, "CERTIFICATE_REVOKED_BY_ISSUER"),
        f"diagnostic crls/contoso.pem: expired: nextUpdate {iso(NOW - SECOND)[:-1]}.000Z is not after the audit clock; "
        "revocations published since are missing",
    ], certificates=[description(d1, ca=ca)], ca_certificates=cas,
        extra_files={"crls/contoso.pem": crl(ca, [d1], next_update=NOW - SECOND)})
    forger = ec.generate_private_key(ec.SECP256R1())
    write_case(C, "bad-signature", [
        "# crls/forged.pem names the Contoso CA as issuer but is signed by another key: not used, an input problem.",
        f"# {d1.short()} is on the forged list only -> no finding",
        f"check {C} compliant",
        "diagnostic crls/forged.pem: the signature does not verify against the CA certificate of its issuer "
        "/O=Contoso Labs/CN=Contoso Device CA; not used",
    ], certificates=[description(d1, ca=ca)], ca_certificates=cas,
        extra_files={"crls/forged.pem": crl(ca, [d1], signer_key=forger)})
    unknown = Cert("Unregistered CA", is_ca=True)
    write_case(C, "unreadable-and-unknown-issuer", [
        "# crls/junk.crl is not a CRL; crls/trailing.pem has text after its END line; crls/unknown.pem is signed",
        "# by a CA that is not in ca-certificates.json. Each is an input problem and none is used.",
        f"# crls/contoso.crl is fine and revokes {d1.short()} -> finding",
        f"check {C} non-compliant",
        finding(C, d1, "CERTIFICATE_REVOKED_BY_ISSUER"),
        "diagnostic crls/junk.crl: cannot read: not a certificate revocation list in PEM or DER; not used",
        "diagnostic crls/trailing.pem: cannot read: not a certificate revocation list in PEM or DER; not used",
        "diagnostic crls/unknown.pem: issuer /O=Contoso Labs/CN=Unregistered CA is no CA certificate in "
        "ca-certificates.json, so the signature cannot be verified; not used",
    ], certificates=[description(d1, ca=ca)], ca_certificates=cas,
        extra_files={"crls/contoso.crl": crl(ca, [d1], der=True), "crls/junk.crl": b"\x30\x82\x01\x00garbage",
                     "crls/trailing.pem": crl(ca, [d1]) + b"trailing junk\n",
                     "crls/unknown.pem": crl(unknown, [d1])})
    write_case(C, "no-crls-folder", [
        "# No crls/ folder: revocation cannot be judged, so the check is not run.",
        f"check {C} not-run",
    ], certificates=[description(d1, ca=ca)], ca_certificates=cas)


@case
def revoked_ca_and_intermediate():
    root = Cert("Contoso Root CA", is_ca=True)
    good = Cert("Contoso Issuing CA 1", is_ca=True, issuer=root, serial=501)
    bad = Cert("Contoso Issuing CA 2", is_ca=True, issuer=root, serial=502)
    bad_inactive = Cert("Contoso Issuing CA 3", is_ca=True, issuer=root, serial=503)
    under_good = Cert("device-under-ca1", issuer=good)
    under_bad = Cert("device-under-ca2", issuer=bad)
    under_bad_pending = Cert("device-under-ca2-pending", issuer=bad)
    under_bad_off = Cert("device-under-ca2-inactive", issuer=bad)
    cas = [ca_description(root), ca_description(good), ca_description(bad), ca_description(bad_inactive, "INACTIVE")]
    devices = [description(under_good, ca=good), description(under_bad, ca=bad),
               description(under_bad_pending, "PENDING_TRANSFER", ca=bad), description(under_bad_off, "INACTIVE", ca=bad)]
    files = {"crls/root.pem": crl(root, [bad, bad_inactive])}
    C = "REVOKED_CA_CERTIFICATE_STILL_ACTIVE_CHECK"
    write_case(C, "revoked-intermediate", [
        "# crls/root.pem, signed by the registered root, revokes issuing CAs 2 (serial 502) and 3 (serial 503).",
        f"# {good.short()} CA 1, ACTIVE, not revoked -> no finding",
        f"# {bad.short()} CA 2, ACTIVE, revoked     -> finding",
        f"# {bad_inactive.short()} CA 3, INACTIVE, revoked   -> ignored",
        f"# {root.short()} the root is on no list   -> no finding",
        f"check {C} non-compliant",
        finding(C, bad, "CERTIFICATE_REVOKED_BY_ISSUER", ca=True),
    ], certificates=devices, ca_certificates=cas, extra_files=files)
    write_case(C, "no-crls-folder", [
        "# No crls/ folder: not run.",
        f"check {C} not-run",
    ], ca_certificates=cas)
    C = "INTERMEDIATE_CA_REVOKED_FOR_ACTIVE_DEVICE_CERTIFICATES_CHECK"
    write_case(C, "revoked-intermediate", [
        "# crls/root.pem revokes issuing CA 2; devices issued by it and still in use are reported.",
        f"# {under_good.short()} under CA 1, ACTIVE                -> no finding",
        f"# {under_bad.short()} under CA 2, ACTIVE                -> finding",
        f"# {under_bad_pending.short()} under CA 2, PENDING_TRANSFER      -> finding",
        f"# {under_bad_off.short()} under CA 2, INACTIVE              -> ignored",
        f"check {C} non-compliant",
        finding(C, under_bad, "INTERMEDIATE_CA_REVOKED_BY_ISSUER"),
        finding(C, under_bad_pending, "INTERMEDIATE_CA_REVOKED_BY_ISSUER"),
    ], certificates=devices, ca_certificates=cas, extra_files=files)
    write_case(C, "no-crls-folder", [
        "# No crls/ folder: not run.",
        f"check {C} not-run",
    ], certificates=devices, ca_certificates=cas)


def main():
    only = sys.argv[1].lower() if len(sys.argv) > 1 else ""
    for function in CASES:
        if function.__name__.startswith(only) or not only:
            function()


if __name__ == "__main__":
    main()
