"""Re-signs a certificate's or CRL's TBS with SM2 and a distinguishing ID (used by make_pki.sh).

`openssl ca` signs SM2 certificates and CRLs with the empty ID; provincial CAs use the default
1234567812345678. This keeps the TBS bytes OpenSSL made (dates, names, extensions), signs them with
`openssl pkeyutl -sign -rawin -digest sm3 -pkeyopt distid:...` (OpenSSL stays the signer), and
writes SEQUENCE { tbs, algorithm, BIT STRING signature }: only the DER framing is done here.

Usage: resign_sm2.py IN.der SIGNER.key DISTID OUT.pem LABEL   (LABEL: CERTIFICATE or X509 CRL)
"""

import base64
import subprocess
import sys
import tempfile


def read_tlv(data: bytes, at: int) -> tuple[int, int]:
    """Returns (start of value, end of element) of the DER element at `at`."""
    length = data[at + 1]
    head = 2
    if length & 0x80:
        count = length & 0x7F
        length = int.from_bytes(data[at + 2 : at + 2 + count], "big")
        head += count
    return at + head, at + head + length


def encode_length(length: int) -> bytes:
    if length < 0x80:
        return bytes([length])
    raw = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw


def main() -> None:
    in_path, key_path, distid, out_path, label = sys.argv[1:6]
    der = open(in_path, "rb").read()
    body, _ = read_tlv(der, 0)
    _, tbs_end = read_tlv(der, body)
    tbs = der[body:tbs_end]
    _, algorithm_end = read_tlv(der, tbs_end)
    algorithm = der[tbs_end:algorithm_end]
    with tempfile.NamedTemporaryFile() as tbs_file:
        tbs_file.write(tbs)
        tbs_file.flush()
        signature = subprocess.run(
            ["openssl", "pkeyutl", "-sign", "-rawin", "-digest", "sm3", "-inkey", key_path,
             "-pkeyopt", f"distid:{distid}", "-in", tbs_file.name],
            check=True, capture_output=True,
        ).stdout
    bit_string = b"\x03" + encode_length(len(signature) + 1) + b"\x00" + signature
    content = tbs + algorithm + bit_string
    framed = b"\x30" + encode_length(len(content)) + content
    text = base64.encodebytes(framed).decode().replace("\n", "")
    lines = [text[i : i + 64] for i in range(0, len(text), 64)]
    with open(out_path, "w") as out:
        out.write(f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----\n")


if __name__ == "__main__":
    main()
