#!/usr/bin/env python3
"""Makes the certification-path cases of zhengwu-identity with the Python `cryptography` package.

Each case is a leaf, its intermediates, trust anchors and CRLs (PEM), an instant, the options
(purpose, maximum depth, peer name) and the verdict RFC 5280 gives: valid, or the kind of refusal
and a phrase of its message. One case per class of certificate that x509-limbo showed the
verifier used to get wrong (false accepts: the profile rules, weak keys, CRL rules; false
rejects: name constraints, self-issued CAs, names compared per §7.1, backtracking, SHA-384 and
PSS, version 1 CRLs). What `cryptography` refuses to write (duplicate extensions, version 2,
serial zero, a CRL without its version field) is made by editing the DER of the signed part and
signing it again with the issuer's key.

Usage: python3 scripts/identity/make_path_cases.py [OUT]   (default identity/tests/data/paths.json)
Needs: pip install 'cryptography>=42'. The keys are new on every run; the verdicts do not change.
"""

import datetime
import json
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, padding, rsa
from cryptography.x509.name import _ASN1Type
from cryptography.x509.oid import ExtendedKeyUsageOID, ExtensionOID, NameOID

AT = "2027-06-01T00:00:00Z"
START = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
END = datetime.datetime(2031, 1, 1, tzinfo=datetime.timezone.utc)


def name(common, **more):
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "CN")]
    if "o" in more:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, more["o"]))
    if common is not None:
        attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common, _type=more.get("cn_type", _ASN1Type.UTF8String)))
    return x509.Name(attributes)


def p256():
    return ec.generate_private_key(ec.SECP256R1())


class Cert:
    def __init__(self, certificate, key):
        self.certificate = certificate
        self.key = key

    @property
    def pem(self):
        return self.certificate.public_bytes(serialization.Encoding.PEM).decode()


def hash_for(key):
    if isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.name == "secp384r1":
        return hashes.SHA384()
    return hashes.SHA256()


def issue(subject, key, issuer=None, *, ca=False, path_length=None, bc=True, bc_critical=True, ku="default",
          aki=True, aki_critical=False, ski=True, ski_critical=False, san=None, san_critical=False, eku=None,
          nc=None, nc_critical=True, serial=None, issuer_name=None, extra=(), algorithm=None, rsa_padding=None,
          not_before=START, not_after=END):
    """A certificate of `subject` with `key`'s public key, signed by `issuer` (a Cert) or itself."""
    signer_key = issuer.key if issuer else key
    builder = (x509.CertificateBuilder()
               .subject_name(subject)
               .issuer_name(issuer_name or (issuer.certificate.subject if issuer else subject))
               .public_key(key.public_key())
               .serial_number(serial or x509.random_serial_number())
               .not_valid_before(not_before)
               .not_valid_after(not_after))
    if bc:
        builder = builder.add_extension(x509.BasicConstraints(ca=ca, path_length=path_length), critical=bc_critical)
    if ku == "default":
        ku = "ca" if ca else "sign"
    if ku:
        flags = dict(digital_signature=False, content_commitment=False, key_encipherment=False,
                     data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                     encipher_only=False, decipher_only=False)
        for flag in {"ca": ["key_cert_sign", "crl_sign"], "sign": ["digital_signature", "content_commitment"],
                     "certsign-only": ["key_cert_sign"], "leaf-certsign": ["digital_signature", "key_cert_sign"]}[ku]:
            flags[flag] = True
        builder = builder.add_extension(x509.KeyUsage(**flags), critical=True)
    if ski:
        builder = builder.add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=ski_critical)
    if aki and issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=aki_critical)
    if san is not None:
        builder = builder.add_extension(san, critical=san_critical)
    if eku is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=False)
    if nc is not None:
        builder = builder.add_extension(nc, critical=nc_critical)
    for extension, critical in extra:
        builder = builder.add_extension(extension, critical=critical)
    algorithm = algorithm or hash_for(signer_key)
    if rsa_padding is not None:
        return Cert(builder.sign(signer_key, algorithm, rsa_padding=rsa_padding), key)
    if isinstance(signer_key, dsa.DSAPrivateKey) or isinstance(signer_key, (ec.EllipticCurvePrivateKey, rsa.RSAPrivateKey)):
        return Cert(builder.sign(signer_key, algorithm), key)
    raise ValueError("unsupported key")


# --- DER editing: what `cryptography` refuses to write -------------------------------------------

def read_tlv(data, offset=0):
    """(tag, header length, value length) of the TLV at offset."""
    tag = data[offset]
    first = data[offset + 1]
    if first < 0x80:
        return tag, 2, first
    count = first & 0x7F
    return tag, 2 + count, int.from_bytes(data[offset + 2:offset + 2 + count], "big")


def tlv(tag, value):
    if len(value) < 0x80:
        return bytes([tag, len(value)]) + value
    length = len(value).to_bytes((len(value).bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(length)]) + length + value


def split_signed(der):
    """(tbs, algorithm, signature) TLVs of a Certificate or CertificateList."""
    _, header, _ = read_tlv(der)
    parts = []
    offset = header
    for _ in range(3):
        _, h, length = read_tlv(der, offset)
        parts.append(der[offset:offset + h + length])
        offset += h + length
    return parts


def resign(der, edit, signer_key, signer_hash=None):
    """Edits the signed part (a function of its DER) and signs it again with `signer_key`."""
    tbs, algorithm, _ = split_signed(der)
    tbs = edit(tbs)
    if isinstance(signer_key, rsa.RSAPrivateKey):
        signature = signer_key.sign(tbs, padding.PKCS1v15(), signer_hash or hashes.SHA256())
    else:
        signature = signer_key.sign(tbs, ec.ECDSA(signer_hash or hashes.SHA256()))
    return tlv(0x30, tbs + algorithm + tlv(0x03, b"\x00" + signature))


def tbs_fields(tbs):
    """The TLVs inside a TBS SEQUENCE."""
    _, header, length = read_tlv(tbs)
    fields = []
    offset = header
    while offset < header + length:
        _, h, l = read_tlv(tbs, offset)
        fields.append(tbs[offset:offset + h + l])
        offset += h + l
    return fields


def rebuild(fields):
    return tlv(0x30, b"".join(fields))


def pem(der, label="CERTIFICATE"):
    import base64
    body = base64.encodebytes(der).decode().replace("\n", "")
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return "-----BEGIN %s-----\n%s\n-----END %s-----\n" % (label, "\n".join(lines), label)


def edited(cert, issuer_key, edit):
    der = cert.certificate.public_bytes(serialization.Encoding.DER)
    return pem(resign(der, edit, issuer_key))


def crl(issuer, revoked=(), number=1, number_critical=False, with_number=True, last=START, next_update=END):
    builder = (x509.CertificateRevocationListBuilder()
               .issuer_name(issuer.certificate.subject)
               .last_update(last)
               .next_update(next_update)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False))
    if with_number:
        builder = builder.add_extension(x509.CRLNumber(number), critical=number_critical)
    for certificate in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(certificate.certificate.serial_number)
            .revocation_date(datetime.datetime(2027, 1, 1, tzinfo=datetime.timezone.utc)).build())
    return builder.sign(issuer.key, hash_for(issuer.key))


def crl_pem(value):
    return value.public_bytes(serialization.Encoding.PEM).decode()


# --- the cases ---------------------------------------------------------------------------------

def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(__file__), "..", "..", "identity", "tests", "data", "paths.json")
    cases = []

    def case(name, leaf, anchors, intermediates=(), crls=(), expect=None, purpose=None, max_depth=None,
             peer_name=None, note="", ocsp=()):
        as_pem = lambda c: c if isinstance(c, str) else c.pem
        cases.append({
            "name": name,
            "note": note,
            "leaf": as_pem(leaf),
            "anchors": [as_pem(c) for c in anchors],
            "intermediates": [as_pem(c) for c in intermediates],
            "crls": list(crls),
            "ocsp": list(ocsp),
            "at": AT,
            "purpose": purpose,
            "max_depth": max_depth,
            "peer_name": peer_name,
            "expect": expect or {"valid": True},
        })

    def refused(kind, phrase):
        return {"valid": False, "error": kind, "contains": phrase}

    root_key = p256()
    root = issue(name("zhengwu test root"), root_key, ca=True)
    ca_key = p256()
    ca = issue(name("zhengwu test issuing CA"), ca_key, root, ca=True)
    official = name("张伟", o="昆明市人民政府")

    def leaf(**options):
        return issue(options.pop("subject", official), p256(), options.pop("issuer", ca), **options)

    case("baseline", leaf(), [root], [ca])

    # -- the profile (false accepts before) --
    case("critical-aki", leaf(aki_critical=True), [root], [ca],
         expect=refused("Nonconforming", "authority key identifier is marked critical"))
    bad_ca = issue(name("zhengwu test issuing CA"), ca_key, root, ca=True, ski_critical=True)
    case("critical-ski", leaf(), [root], [bad_ca],
         expect=refused("Nonconforming", "subject key identifier is marked critical"))
    case("leaf-without-aki", leaf(aki=False), [root], [ca],
         expect=refused("Nonconforming", "authority key identifier is missing"))
    case("intermediate-without-aki", leaf(), [root], [issue(name("zhengwu test issuing CA"), ca_key, root, ca=True, aki=False)],
         expect=refused("Nonconforming", "authority key identifier is missing"))
    nc_dns = x509.NameConstraints(permitted_subtrees=[x509.DNSName("example.com")], excluded_subtrees=None)
    nc_root_key = p256()
    case("name-constraints-not-critical",
         issue(name("leaf"), p256(), issue(name("constrained root"), nc_root_key, ca=True, nc=nc_dns, nc_critical=False),
               san=x509.SubjectAlternativeName([x509.DNSName("www.example.com")])),
         [issue(name("constrained root"), nc_root_key, ca=True, nc=nc_dns, nc_critical=False)],
         expect=refused("Nonconforming", "name constraints are not marked critical"))
    case("empty-extended-key-usage", leaf(eku=[]), [root], [ca],
         expect=refused("Nonconforming", "extended key usage extension is empty"))
    no_bc = issue(name("zhengwu test issuing CA"), ca_key, root, ca=True, bc=False)
    case("ca-without-basic-constraints", leaf(), [root], [no_bc],
         expect=refused("Nonconforming", "without basic constraints"))
    bc_noncritical = issue(name("zhengwu test issuing CA"), ca_key, root, ca=True, bc_critical=False)
    case("ca-basic-constraints-not-critical", leaf(), [root], [bc_noncritical],
         expect=refused("Nonconforming", "basic constraints are not critical"))
    case("leaf-with-keycertsign", leaf(ku="leaf-certsign"), [root], [ca],
         expect=refused("Nonconforming", "keyCertSign is asserted"))
    case("leaf-says-ca", leaf(ca=True, ku="sign"), [root], [ca],
         expect=refused("Nonconforming", "a CA is not an end entity"))
    empty_key = p256()
    empty_ca = issue(x509.Name([]), empty_key, root, ca=True)
    case("ca-with-empty-subject", issue(official, p256(), empty_ca), [root], [empty_ca],
         expect=refused("Nonconforming", "name is empty"))
    # Duplicate SAN: a placeholder extension (OID 2.5.29.98) renamed to SAN (2.5.29.17), same length.
    san = x509.SubjectAlternativeName([x509.DNSName("a.example.com")])
    twice = leaf(san=san, extra=[(x509.UnrecognizedExtension(x509.ObjectIdentifier("2.5.29.98"),
                                                              san.public_bytes()), False)])
    case("duplicate-extension", edited(twice, ca_key, lambda tbs: tbs.replace(b"\x06\x03\x55\x1d\x62", b"\x06\x03\x55\x1d\x11")),
         [root], [ca], expect=refused("DuplicateExtension", "2.5.29.17"))
    case("san-not-der", leaf(extra=[(x509.UnrecognizedExtension(ExtensionOID.SUBJECT_ALTERNATIVE_NAME, b"\x30\x05\x82\x01"), False)]),
         [root], [ca], expect=refused("Parse", "subject alternative name"))

    def set_serial_zero(tbs):
        fields = tbs_fields(tbs)
        fields[1] = b"\x02\x01\x00"  # [0] version, then serialNumber
        return rebuild(fields)
    case("serial-zero", edited(leaf(), ca_key, set_serial_zero), [root], [ca],
         expect=refused("Nonconforming", "serial number is zero"))

    def set_version_2(tbs):
        fields = tbs_fields(tbs)
        fields[0] = b"\xa0\x03\x02\x01\x01"
        return rebuild(fields)
    case("version-2", edited(leaf(), ca_key, set_version_2), [root], [ca],
         expect=refused("Nonconforming", "version 2"))
    case("rsa-1024-leaf", issue(official, rsa.generate_private_key(65537, 1024), ca), [root], [ca],
         expect=refused("WeakKey", "1024-bit RSA key"))
    weak_key = rsa.generate_private_key(65537, 1024)
    weak_ca = issue(name("weak CA"), weak_key, root, ca=True)
    case("rsa-1024-ca", issue(official, p256(), weak_ca), [root], [weak_ca], expect=refused("WeakKey", "1024-bit RSA key"))
    case("dsa-leaf", issue(official, dsa.generate_private_key(2048), ca), [root], [ca],
         expect=refused("UnsupportedAlgorithm", "DSA"))
    case("p192-leaf", issue(official, ec.generate_private_key(ec.SECP192R1()), ca), [root], [ca],
         expect=refused("UnsupportedAlgorithm", "P-192"))
    case("unknown-critical-extension", leaf(extra=[(x509.UnrecognizedExtension(x509.ObjectIdentifier("1.3.6.1.4.1.55738.1"), b"\x05\x00"), True)]),
         [root], [ca], expect=refused("UnsupportedCriticalExtension", "1.3.6.1.4.1.55738.1"))

    # -- CRLs --
    good = leaf()
    case("crl-v2-not-revoked", good, [root], [ca], crls=[crl_pem(crl(ca))])
    case("crl-v2-revoked", good, [root], [ca], crls=[crl_pem(crl(ca, revoked=[good]))],
         expect=refused("Revoked", "was revoked at 2027-01-01"))
    case("crl-without-number", good, [root], [ca], crls=[crl_pem(crl(ca, with_number=False))],
         expect=refused("InvalidCrl", "CRL number is missing"))
    case("crl-number-critical", good, [root], [ca], crls=[crl_pem(crl(ca, number_critical=True))],
         expect=refused("InvalidCrl", "CRL number is marked critical"))
    signer_key = p256()
    no_crlsign = issue(name("zhengwu test issuing CA"), signer_key, root, ca=True, ku="certsign-only")
    under = issue(official, p256(), no_crlsign)
    case("crl-issuer-without-crlsign", under, [root], [no_crlsign], crls=[crl_pem(crl(no_crlsign))],
         expect=refused("WrongKeyUsage", "cRLSign"))

    def v1_crl(revoked):
        der = crl(ca, revoked=revoked).public_bytes(serialization.Encoding.DER)

        def strip(tbs):
            fields = tbs_fields(tbs)
            # version (INTEGER 1) removed; crlExtensions ([0]) removed: a version 1 list.
            fields = [f for f in fields[1:] if f[0] != 0xA0]
            return rebuild(fields)
        return pem(resign(der, strip, ca_key), "X509 CRL")
    case("crl-v1-not-revoked", good, [root], [ca], crls=[v1_crl([])])
    case("crl-v1-revoked", good, [root], [ca], crls=[v1_crl([good])], expect=refused("Revoked", "was revoked"))

    # -- OCSP responses (RFC 6960), verified offline --
    from cryptography.x509 import ocsp as x509_ocsp

    def response(certificate, status=x509_ocsp.OCSPCertStatus.GOOD, responder=ca, certs=(), this=START,
                 next_update=END, hash_algorithm=hashes.SHA1(), tamper=False):
        builder = x509_ocsp.OCSPResponseBuilder().add_response(
            cert=certificate.certificate, issuer=ca.certificate, algorithm=hash_algorithm, cert_status=status,
            this_update=this, next_update=next_update,
            revocation_time=datetime.datetime(2027, 1, 1, tzinfo=datetime.timezone.utc) if status == x509_ocsp.OCSPCertStatus.REVOKED else None,
            revocation_reason=None)
        builder = builder.responder_id(x509_ocsp.OCSPResponderEncoding.NAME, responder.certificate)
        if certs:
            builder = builder.certificates([c.certificate for c in certs])
        der = builder.sign(responder.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)
        if tamper:
            der = der[:-3] + bytes([der[-3] ^ 1]) + der[-2:]
        return pem(der, "OCSP RESPONSE")

    subject_of_ocsp = leaf()
    case("ocsp-good", subject_of_ocsp, [root], [ca], ocsp=[response(subject_of_ocsp)])
    case("ocsp-good-sha256-certid", subject_of_ocsp, [root], [ca], ocsp=[response(subject_of_ocsp, hash_algorithm=hashes.SHA256())])
    case("ocsp-revoked", subject_of_ocsp, [root], [ca], ocsp=[response(subject_of_ocsp, x509_ocsp.OCSPCertStatus.REVOKED)],
         expect=refused("Revoked", "was revoked at 2027-01-01"))
    case("ocsp-unknown-falls-back-to-the-crl", subject_of_ocsp, [root], [ca], crls=[crl_pem(crl(ca, revoked=[subject_of_ocsp]))],
         ocsp=[response(subject_of_ocsp, x509_ocsp.OCSPCertStatus.UNKNOWN)], expect=refused("Revoked", "was revoked"))
    case("ocsp-stale", subject_of_ocsp, [root], [ca],
         ocsp=[response(subject_of_ocsp, next_update=datetime.datetime(2027, 3, 1, tzinfo=datetime.timezone.utc))],
         expect=refused("StaleOcsp", "is not current"))
    case("ocsp-tampered", subject_of_ocsp, [root], [ca], ocsp=[response(subject_of_ocsp, tamper=True)],
         expect=refused("BadSignature", "OCSP response"))
    responder_key = p256()
    responder = issue(name("zhengwu OCSP responder"), responder_key, ca, ku="sign", eku=[ExtendedKeyUsageOID.OCSP_SIGNING])
    case("ocsp-delegated-responder", subject_of_ocsp, [root], [ca],
         ocsp=[response(subject_of_ocsp, responder=responder, certs=[responder])])
    not_responder = issue(name("zhengwu not a responder"), p256(), ca, ku="sign")
    case("ocsp-responder-without-ocsp-signing", subject_of_ocsp, [root], [ca],
         ocsp=[response(subject_of_ocsp, responder=not_responder, certs=[not_responder])],
         expect=refused("UntrustedResponder", "not for OCSP signing"))
    case("ocsp-signed-by-another-ca", subject_of_ocsp, [root], [ca], ocsp=[response(subject_of_ocsp, responder=root)],
         expect=refused("UntrustedResponder", "neither the issuer"))

    # -- what used to be refused (false rejects before) --
    nc_root_key = p256()
    nc_dn = x509.NameConstraints(permitted_subtrees=[x509.DirectoryName(name(None, o="昆明市人民政府"))], excluded_subtrees=None)
    nc_root = issue(name("constrained root", o="昆明市人民政府"), nc_root_key, ca=True, nc=nc_dn)
    case("directory-name-constraint-permits", issue(official, p256(), nc_root), [nc_root])
    case("directory-name-constraint-refuses", issue(name("张伟", o="曲靖市人民政府"), p256(), nc_root), [nc_root],
         expect=refused("NameConstraints", "outside the name constraints"))
    mail_key = p256()
    nc_mail = x509.NameConstraints(permitted_subtrees=[x509.RFC822Name("km.gov.cn")], excluded_subtrees=None)
    mail_ca = issue(name("mail CA"), mail_key, root, ca=True, nc=nc_mail)
    case("mailbox-constraint-permits", issue(official, p256(), mail_ca, san=x509.SubjectAlternativeName([x509.RFC822Name("zhangwei@km.gov.cn")])),
         [root], [mail_ca])
    case("mailbox-constraint-refuses", issue(official, p256(), mail_ca, san=x509.SubjectAlternativeName([x509.RFC822Name("zhangwei@qj.gov.cn")])),
         [root], [mail_ca], expect=refused("NameConstraints", "outside the name constraints"))
    dns_key = p256()
    dns_root = issue(name("dns root"), dns_key, ca=True, nc=nc_dns)
    case("dns-constraint-permits", issue(name("w"), p256(), dns_root, san=x509.SubjectAlternativeName([x509.DNSName("www.example.com")])), [dns_root])
    case("dns-constraint-refuses", issue(name("w"), p256(), dns_root, san=x509.SubjectAlternativeName([x509.DNSName("www.example.org")])), [dns_root],
         expect=refused("NameConstraints", "outside the name constraints"))
    # Key rollover: the issuing CA (pathLen 0) certifies its new key under the same name.
    old_key, new_key = p256(), p256()
    old = issue(name("rollover CA"), old_key, root, ca=True, path_length=0)
    rolled = issue(name("rollover CA"), new_key, old, ca=True, path_length=0)
    case("self-issued-ca-not-counted-against-path-length", issue(official, p256(), rolled), [root], [old, rolled])
    deeper = issue(name("sub CA"), p256(), old, ca=True)
    case("path-length-zero-refuses-a-ca-below", issue(official, p256(), deeper), [root], [old, deeper],
         expect=refused("PathLength", "pathLenConstraint"))
    # §7.1: the leaf names its issuer in PrintableString and other case.
    case("issuer-name-compared-per-7-1",
         leaf(issuer_name=x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                                     x509.NameAttribute(NameOID.COMMON_NAME, "ZHENGWU  test issuing CA", _type=_ASN1Type.PrintableString)])),
         [root], [ca])
    # Backtracking: the first candidate issuer (same name, same key) has expired.
    expired_ca = issue(name("zhengwu test issuing CA"), ca_key, root, ca=True,
                       not_before=datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc),
                       not_after=datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc))
    case("backtracks-past-an-expired-issuer", leaf(), [root], [expired_ca, ca])
    case("only-an-expired-issuer", leaf(), [root], [expired_ca], expect=refused("Expired", "expired at 2025-01-01"))
    # Algorithms: P-384 with SHA-384, RSA-3072 with SHA-384, RSA-PSS.
    p384_root_key = ec.generate_private_key(ec.SECP384R1())
    p384_root = issue(name("p384 root"), p384_root_key, ca=True)
    case("ecdsa-p384-sha384", issue(official, ec.generate_private_key(ec.SECP384R1()), p384_root), [p384_root])
    rsa_root_key = rsa.generate_private_key(65537, 3072)
    rsa_root = issue(name("rsa root"), rsa_root_key, ca=True, algorithm=hashes.SHA384())
    case("rsa-sha384", issue(official, p256(), rsa_root, algorithm=hashes.SHA384()), [rsa_root])
    pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
    case("rsa-pss-sha256", issue(official, p256(), rsa_root, algorithm=hashes.SHA256(), rsa_padding=pss), [rsa_root])

    # -- options --
    mid_key = p256()
    mid = issue(name("second CA"), mid_key, ca, ca=True)
    below = issue(official, p256(), mid)
    case("two-intermediates", below, [root], [ca, mid])
    case("max-depth-one", below, [root], [ca, mid], max_depth=1, expect=refused("ChainTooLong", "more than 1 intermediate"))
    client = leaf(eku=[ExtendedKeyUsageOID.CLIENT_AUTH])
    case("purpose-client-auth", client, [root], [ca], purpose="clientAuth")
    case("purpose-server-auth-refused", client, [root], [ca], purpose="serverAuth", expect=refused("WrongPurpose", "serverAuth"))
    case("purpose-without-eku-refused", leaf(), [root], [ca], purpose="emailProtection",
         expect=refused("WrongPurpose", "emailProtection"))
    server = leaf(subject=name("www.example.com"), ku="sign", eku=[ExtendedKeyUsageOID.SERVER_AUTH],
                  san=x509.SubjectAlternativeName([x509.DNSName("www.example.com")]))
    case("peer-name", server, [root], [ca], peer_name="www.example.com")
    case("peer-name-mismatch", server, [root], [ca], peer_name="mail.example.com",
         expect=refused("NameMismatch", "not valid for `mail.example.com`"))

    with open(out, "w") as f:
        json.dump({"made_by": "scripts/identity/make_path_cases.py", "cases": cases}, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print("%d cases written to %s" % (len(cases), out))


if __name__ == "__main__":
    main()
