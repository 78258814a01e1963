#!/usr/bin/env python3
"""Makes the GB/T 38540 / GM/T 0031 test seals and signatures in identity/tests/data/seals/ with
tools independent of zhengwu: the DER is assembled here byte by byte from the standard's ASN.1,
every signature is made by OpenSSL 3 (`openssl pkeyutl -sign -rawin -digest sm3` with the
default distinguishing ID 1234567812345678) and every hash by `openssl dgst -sm3`. The keys are
the SM2 test PKI of scripts/identity/make_pki.sh: the 单位证书 (华为技术有限公司) makes the seals,
the 个人证书 (张伟) signs with them.

    python3 scripts/identity/make_seals.py          # rewrites identity/tests/data/seals/

Outputs: seal-v4.esl, signature-v4.dat (over data.txt), seal-v4-digest.esl (users listed by
the SM3 of their certificate) with signature-v4-digest.dat, seal-v1.esl and signature-v1.dat
(GM/T 0031 structures), signature-v4-stranger.dat (signed by a certificate the seal does not
list), signed.ofd (an OFD package whose Signature.xml protects two files, signed with seal-v4).
"""

from __future__ import annotations

import base64
import io
import pathlib
import subprocess
import tempfile
import zipfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
PKI = ROOT / "identity" / "tests" / "data" / "pki" / "sm2"
OUT = ROOT / "identity" / "tests" / "data" / "seals"
SM2_SM3 = "1.2.156.10197.1.501"


def length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def tlv(tag: int, value: bytes) -> bytes:
    return bytes([tag]) + length(len(value)) + value


def seq(*items: bytes) -> bytes:
    return tlv(0x30, b"".join(items))


def integer(n: int) -> bytes:
    body = n.to_bytes(max(1, (n.bit_length() + 8) // 8), "big", signed=True)
    return tlv(0x02, body)


def ia5(text: str) -> bytes:
    return tlv(0x16, text.encode("ascii"))


def utf8(text: str) -> bytes:
    return tlv(0x0C, text.encode("utf-8"))


def octets(data: bytes) -> bytes:
    return tlv(0x04, data)


def bits(data: bytes) -> bytes:
    return tlv(0x03, b"\x00" + data)


def gtime(text: str) -> bytes:
    return tlv(0x18, text.encode("ascii"))


def utctime(text: str) -> bytes:
    return tlv(0x17, text.encode("ascii"))


def printable(text: str) -> bytes:
    return tlv(0x13, text.encode("ascii"))


def oid(dotted: str) -> bytes:
    parts = [int(p) for p in dotted.split(".")]
    body = bytearray([parts[0] * 40 + parts[1]])
    for part in parts[2:]:
        chunk = [part & 0x7F]
        part >>= 7
        while part:
            chunk.append(0x80 | (part & 0x7F))
            part >>= 7
        body.extend(reversed(chunk))
    return tlv(0x06, bytes(body))


def openssl(*args: str, data: bytes = b"") -> bytes:
    return subprocess.run(["openssl", *args], input=data, capture_output=True, check=True).stdout


def der_certificate(name: str) -> bytes:
    return openssl("x509", "-in", str(PKI / f"{name}.pem"), "-outform", "DER")


def sm2_sign(key: str, message: bytes) -> bytes:
    with tempfile.NamedTemporaryFile() as file:
        file.write(message)
        file.flush()
        return openssl(
            "pkeyutl", "-sign", "-rawin", "-digest", "sm3", "-inkey", str(PKI / f"{key}.key"),
            "-pkeyopt", "distid:1234567812345678", "-in", file.name,
        )


def sm3(data: bytes) -> bytes:
    return bytes.fromhex(openssl("dgst", "-sm3", "-r", data=data).decode().split()[0])


PICTURE = seq(ia5("png"), octets(b"\x89PNG\r\n\x1a\n zhengwu test seal picture"), integer(40), integer(40))


def seal_v4(users: bytes, list_type: int, es_id: str) -> bytes:
    header = seq(ia5("ES"), integer(4), ia5("zhengwu-test"))
    prop = seq(
        integer(1), utf8("华为技术有限公司合同专用章"), integer(list_type), users,
        gtime("20260301000000Z"), gtime("20260301000000Z"), gtime("20280301000000Z"),
    )
    info = seq(header, ia5(es_id), prop, PICTURE)
    return seq(info, octets(der_certificate("unit")), oid(SM2_SM3), bits(sm2_sign("unit", info)))


def signature_v4(seal: bytes, signer: str, data: bytes) -> bytes:
    tbs = seq(integer(4), seal, gtime("20270315020304Z"), bits(sm3(data)), ia5("/Doc_0/Signs/Sign_0/Signature.xml"))
    return seq(tbs, octets(der_certificate(signer)), oid(SM2_SM3), bits(sm2_sign(signer, tbs)))


def seal_v1() -> bytes:
    header = seq(ia5("ES"), integer(1), ia5("zhengwu-test"))
    prop = seq(
        integer(1), utf8("华为技术有限公司公章"), seq(octets(der_certificate("official"))),
        utctime("260301000000Z"), utctime("260301000000Z"), utctime("280301000000Z"),
    )
    info = seq(header, ia5("ZW-V1-0001"), prop, PICTURE)
    cert, alg = octets(der_certificate("unit")), oid(SM2_SM3)
    signed = sm2_sign("unit", seq(info, cert, alg))
    return seq(info, seq(cert, alg, bits(signed)))


def signature_v1(seal: bytes, data: bytes) -> bytes:
    tbs = seq(
        integer(1), seal, bits(b"270315020304Z"), bits(sm3(data)), ia5("data.txt"),
        octets(der_certificate("official")), oid(SM2_SM3),
    )
    return seq(tbs, bits(sm2_sign("official", tbs)))


def ofd(seal: bytes) -> bytes:
    files = {
        "OFD.xml": '<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.2"/>',
        "Doc_0/Document.xml": '<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="http://www.ofdspec.org/2016">准予行政许可决定书</ofd:Document>',
    }
    references = "".join(
        f'<ofd:Reference FileRef="/{name}"><ofd:CheckValue>{base64.b64encode(sm3(text.encode())).decode()}</ofd:CheckValue></ofd:Reference>'
        for name, text in files.items()
    )
    signature_xml = (
        '<?xml version="1.0" encoding="UTF-8"?><ofd:Signature xmlns:ofd="http://www.ofdspec.org/2016">'
        '<ofd:SignedInfo><ofd:Provider ProviderName="zhengwu make_seals.py"/>'
        f'<ofd:SignatureMethod>{SM2_SM3}</ofd:SignatureMethod>'
        f'<ofd:References CheckMethod="1.2.156.10197.1.401">{references}</ofd:References></ofd:SignedInfo>'
        "<ofd:SignedValue>SignedValue.dat</ofd:SignedValue></ofd:Signature>"
    ).encode()
    signatures = (
        '<?xml version="1.0" encoding="UTF-8"?><ofd:Signatures xmlns:ofd="http://www.ofdspec.org/2016">'
        '<ofd:Signature ID="1" Type="Seal" BaseLoc="Sign_0/Signature.xml"/></ofd:Signatures>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as package:
        for name, text in files.items():
            package.writestr(name, text)
        package.writestr("Doc_0/Signs/Signatures.xml", signatures)
        package.writestr("Doc_0/Signs/Sign_0/Signature.xml", signature_xml)
        package.writestr("Doc_0/Signs/Sign_0/SignedValue.dat", signature_v4(seal, "official", signature_xml))
    return out.getvalue()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    data = "昆明市市场监督管理局 准予行政许可决定书 昆市监许〔2027〕8号\n".encode()
    (OUT / "data.txt").write_bytes(data)
    seal = seal_v4(seq(octets(der_certificate("official"))), 1, "ZW-V4-0001")
    (OUT / "seal-v4.esl").write_bytes(seal)
    (OUT / "signature-v4.dat").write_bytes(signature_v4(seal, "official", data))
    (OUT / "signature-v4-stranger.dat").write_bytes(signature_v4(seal, "unit", data))
    digest_seal = seal_v4(seq(seq(printable("SM3"), octets(sm3(der_certificate("official"))))), 2, "ZW-V4-0002")
    (OUT / "seal-v4-digest.esl").write_bytes(digest_seal)
    (OUT / "signature-v4-digest.dat").write_bytes(signature_v4(digest_seal, "official", data))
    v1 = seal_v1()
    (OUT / "seal-v1.esl").write_bytes(v1)
    (OUT / "signature-v1.dat").write_bytes(signature_v1(v1, data))
    (OUT / "signed.ofd").write_bytes(ofd(seal))
    print(f"wrote {len(list(OUT.iterdir()))} files to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
