#!/usr/bin/env bash
# Makes the certificate fixtures of zhengwu-identity with OpenSSL 3 (the external oracle):
# every certificate but the self-signed roots carries its issuer's key identifier (RFC 5280
# §4.2.1.1), every CA its own; the CRLs are version 2 with a CRL number.
# for each algorithm (RSA-2048 with SHA-256, ECDSA P-256 with SHA-256, SM2 with SM3) a root CA,
# an issuing CA, leaves for every case the verifier must tell apart, a CRL, and signatures made by
# `openssl pkeyutl` over a fixed message.
#
# Every certificate and CRL is made by `openssl ca`, which sets the dates we ask for. SM2: CAs in the
# field sign with the default distinguishing ID 1234567812345678; OpenSSL 3.0 signs with an empty ID
# unless given `-sigopt distid:...`, which `openssl ca` ignores, so for SM2 the TBS OpenSSL made is
# signed again by `openssl pkeyutl` with the default ID (`resign_sm2.py` does the DER framing).
#
# Usage: scripts/identity/make_pki.sh [OUT]   (default identity/tests/data/pki)
# Dates are fixed so that the tests can check at fixed instants (2027-06-01 is "now" in the tests).
set -euo pipefail

OUT=${1:-"$(dirname "$0")/../../identity/tests/data/pki"}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
DISTID=1234567812345678
HERE=$(cd "$(dirname "$0")" && pwd)

cat > "$WORK/openssl.cnf" <<'EOF'
[ca]
default_ca = zw
[zw]
dir = .
database = $dir/index.txt
new_certs_dir = $dir/new
serial = $dir/serial
crlnumber = $dir/crlnumber
crl_extensions = crl_ext
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = none
default_crl_days = 3650
[anything]
commonName = supplied
countryName = optional
stateOrProvinceName = optional
localityName = optional
organizationName = optional
organizationalUnitName = optional
serialNumber = optional
[crl_ext]
authorityKeyIdentifier = keyid:always
[root_ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ca_ext]
authorityKeyIdentifier = keyid:always
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[sign_ext]
authorityKeyIdentifier = keyid:always
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
subjectKeyIdentifier = hash
[subca_ext]
authorityKeyIdentifier = keyid:always
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[critical_ext]
authorityKeyIdentifier = keyid:always
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
subjectKeyIdentifier = hash
1.2.3.4 = critical, ASN1:UTF8String:zhengwu
[encrypt_ext]
authorityKeyIdentifier = keyid:always
basicConstraints = critical, CA:FALSE
keyUsage = critical, keyEncipherment, dataEncipherment
subjectKeyIdentifier = hash
[req]
distinguished_name = dn
string_mask = utf8only
utf8 = yes
[dn]
EOF

genkey() { # alg out
    case $1 in
        rsa) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$2" 2>/dev/null ;;
        ec) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$2" ;;
        sm2) openssl genpkey -algorithm SM2 -out "$2" ;;
    esac
}

digest() { [ "$1" = sm2 ] && echo sm3 || echo sha256; }
sigopts() { [ "$1" = sm2 ] && echo "-sigopt distid:$DISTID" || true; }
vfyopts() { [ "$1" = sm2 ] && echo "-vfyopt distid:$DISTID" || true; }

# resign alg in.pem signer.key out.pem label: for SM2, re-sign the TBS with the default ID.
resign() {
    if [ "$1" = sm2 ]; then
        local der="$WORK/resign.der"
        if [ "$5" = CERTIFICATE ]; then openssl x509 -in "$2" -outform DER -out "$der"
        else openssl crl -in "$2" -outform DER -out "$der"; fi
        python3 "$HERE/resign_sm2.py" "$der" "$3" "$DISTID" "$4" "$5"
    else
        cp "$2" "$4"
    fi
}

# issue alg dir ca_cert ca_key key subject ext start end serial out: `openssl ca` sets the dates.
issue() {
    local alg=$1 dir=$2 ca_cert=$3 ca_key=$4 key=$5 subject=$6 ext=$7 start=$8 end=$9 serial=${10} out=${11}
    # shellcheck disable=SC2046
    openssl req -new -key "$key" -subj "$subject" -utf8 -config "$WORK/openssl.cnf" \
        -"$(digest "$alg")" $(sigopts "$alg") -out "$WORK/req.pem"
    printf '%s\n' "$serial" > "$dir/serial"
    # shellcheck disable=SC2046
    (cd "$dir" && openssl ca -batch -config "$WORK/openssl.cnf" -notext -utf8 \
        -cert "$ca_cert" -keyfile "$ca_key" -in "$WORK/req.pem" -out "$WORK/issued.pem" \
        -extfile "$WORK/openssl.cnf" -extensions "$ext" -startdate "$start" -enddate "$end" \
        -md "$(digest "$alg")" $(vfyopts "$alg") >/dev/null 2>"$WORK/ca.log") || { cat "$WORK/ca.log"; exit 1; }
    resign "$alg" "$WORK/issued.pem" "$ca_key" "$out" CERTIFICATE
}

for alg in ${ALGS:-rsa ec sm2}; do
    dir="$WORK/$alg"
    out="$OUT/$alg"
    mkdir -p "$dir/new" "$out"
    : > "$dir/index.txt"
    genkey "$alg" "$out/root.key"
    genkey "$alg" "$out/ca.key"
    # The root: self-signed through `openssl ca -selfsign` for its dates.
    # shellcheck disable=SC2046
    openssl req -new -key "$out/root.key" -subj "/C=CN/O=zhengwu test/CN=zhengwu $alg root CA" -utf8 \
        -config "$WORK/openssl.cnf" -"$(digest "$alg")" $(sigopts "$alg") -out "$WORK/req.pem"
    printf '01\n' > "$dir/serial"
    # shellcheck disable=SC2046
    (cd "$dir" && openssl ca -batch -selfsign -config "$WORK/openssl.cnf" -notext -utf8 \
        -keyfile "$out/root.key" -in "$WORK/req.pem" -out "$WORK/root0.pem" \
        -extfile "$WORK/openssl.cnf" -extensions root_ext \
        -startdate 20200101000000Z -enddate 20450101000000Z -md "$(digest "$alg")" $(vfyopts "$alg") \
        >/dev/null 2>"$WORK/ca.log") || { cat "$WORK/ca.log"; exit 1; }
    resign "$alg" "$WORK/root0.pem" "$out/root.key" "$out/root.pem" CERTIFICATE

    issue "$alg" "$dir" "$out/root.pem" "$out/root.key" "$out/ca.key" \
        "/C=CN/ST=云南省/O=zhengwu test/CN=zhengwu $alg issuing CA" ca_ext \
        20200101000000Z 20400101000000Z 02 "$out/ca.pem"
    : > "$dir/index.txt"

    # Leaves. Subjects follow provincial CA practice: an official's certificate carries the name
    # (CN), the 公民身份号码 (serialNumber) and the department (OU); a unit's carries the unit (O,
    # CN) and its 统一社会信用代码 (serialNumber).
    leaf() { # name subject ext start end serial
        genkey "$alg" "$out/$1.key"
        issue "$alg" "$dir" "$out/ca.pem" "$out/ca.key" "$out/$1.key" "$2" "$3" "$4" "$5" "$6" "$out/$1.pem"
    }
    official="/C=CN/ST=云南省/L=昆明市/O=昆明市人民政府/OU=昆明市市场监督管理局/CN=张伟/serialNumber=11010519491231002X"
    leaf official "$official" sign_ext 20260101000000Z 20310101000000Z 1001
    leaf unit "/C=CN/ST=广东省/L=深圳市/O=华为技术有限公司/CN=华为技术有限公司/serialNumber=914403001922038216" \
        sign_ext 20260101000000Z 20310101000000Z 1002
    leaf expired "$official" sign_ext 20200101000000Z 20260101000000Z 1003
    leaf notyet "$official" sign_ext 20280101000000Z 20330101000000Z 1004
    leaf revoked "$official" sign_ext 20260101000000Z 20310101000000Z 1005
    leaf encryption "$official" encrypt_ext 20260101000000Z 20310101000000Z 1006
    leaf critical "$official" critical_ext 20260101000000Z 20310101000000Z 1008
    # A CA below the issuing CA, whose path length is 0: its leaf must be refused.
    leaf subca "/C=CN/O=zhengwu test/CN=zhengwu $alg sub CA" subca_ext 20260101000000Z 20310101000000Z 1009
    genkey "$alg" "$out/deep.key"
    issue "$alg" "$dir" "$out/subca.pem" "$out/subca.key" "$out/deep.key" "$official" sign_ext \
        20260101000000Z 20310101000000Z 100A "$out/deep.pem"
    rm -f "$out/subca.key"

    # Tampered: the official's certificate with one byte of its signature flipped.
    openssl x509 -in "$out/official.pem" -outform DER -out "$WORK/official.der"
    python3 - "$WORK/official.der" "$out/tampered.pem" <<'EOF'
import base64, sys
data = bytearray(open(sys.argv[1], "rb").read())
data[-5] ^= 0x01  # inside the signature value, the last field of the certificate
body = base64.encodebytes(bytes(data)).decode().replace("\n", "")
lines = [body[i:i + 64] for i in range(0, len(body), 64)]
open(sys.argv[2], "w").write("-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n")
EOF

    # Wrong issuer: a root nobody trusts issues a certificate with the same subject.
    mkdir -p "$dir/rogue/new"
    : > "$dir/rogue/index.txt"
    genkey "$alg" "$WORK/rogue.key"
    # shellcheck disable=SC2046
    openssl req -new -x509 -key "$WORK/rogue.key" -subj "/C=CN/O=zhengwu test/CN=zhengwu $alg issuing CA" \
        -utf8 -config "$WORK/openssl.cnf" -"$(digest "$alg")" $(sigopts "$alg") -days 7300 \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
        -out "$WORK/rogue.pem"
    genkey "$alg" "$out/untrusted.key"
    issue "$alg" "$dir/rogue" "$WORK/rogue.pem" "$WORK/rogue.key" "$out/untrusted.key" "$official" sign_ext \
        20260101000000Z 20310101000000Z 1007 "$out/untrusted.pem"

    # The CRL of the issuing CA: `revoked` since 2026-12-01.
    serial_revoked=$(openssl x509 -in "$out/revoked.pem" -noout -serial | cut -d= -f2)
    subject_revoked=$(openssl x509 -in "$out/revoked.pem" -noout -subject -nameopt compat | sed 's/^subject=//')
    printf 'R\t310101000000Z\t261201000000Z,keyCompromise\t%s\tunknown\t%s\n' "$serial_revoked" "$subject_revoked" \
        > "$dir/index.txt"
    printf '1000\n' > "$dir/crlnumber"
    (cd "$dir" && openssl ca -batch -gencrl -config "$WORK/openssl.cnf" -cert "$out/ca.pem" -keyfile "$out/ca.key" \
        -crl_lastupdate 20270101000000Z -crl_nextupdate 20300101000000Z -md "$(digest "$alg")" \
        -out "$WORK/crl.pem" 2>/dev/null)
    resign "$alg" "$WORK/crl.pem" "$out/ca.key" "$out/ca.crl.pem" "X509 CRL"
    if [ "$alg" != sm2 ]; then
        # Sanity checks by OpenSSL itself (its SM2 verification uses the empty ID, so not for SM2).
        openssl verify -CAfile "$out/root.pem" -untrusted "$out/ca.pem" -attime 1811808000 "$out/official.pem" >/dev/null
        openssl crl -in "$out/ca.crl.pem" -CAfile "$out/ca.pem" -noout 2>&1 | grep -q "verify OK"
    fi
    # OCSP responses of the issuing CA (signed by it, as `openssl ocsp` answers), for the official's
    # certificate (good) and the revoked one. OpenSSL signs with SM2 under the empty ID, so none
    # for SM2. The responses are dated when they are made: the tests check a day after.
    if [ "$alg" != sm2 ]; then
        serial_official=$(openssl x509 -in "$out/official.pem" -noout -serial | cut -d= -f2)
        subject_official=$(openssl x509 -in "$out/official.pem" -noout -subject -nameopt compat | sed 's/^subject=//')
        printf 'V\t310101000000Z\t\t%s\tunknown\t%s\n' "$serial_official" "$subject_official" >> "$dir/index.txt"
        for who in official revoked; do
            openssl ocsp -issuer "$out/ca.pem" -cert "$out/$who.pem" -no_nonce -reqout "$WORK/ocsp-req.der" 2>/dev/null
            openssl ocsp -index "$dir/index.txt" -rsigner "$out/ca.pem" -rkey "$out/ca.key" -CA "$out/ca.pem" \
                -reqin "$WORK/ocsp-req.der" -respout "$out/$who.ocsp.der" -ndays 3650 >/dev/null 2>&1
        done
    fi
    # Detached signatures over a fixed message by the official's key (PKCS#1 v1.5 / ECDSA DER / SM2 DER).
    printf '云府〔2006〕12号 关于进一步优化营商环境的通知' > "$out/message.txt"
    if [ "$alg" = sm2 ]; then
        openssl pkeyutl -sign -rawin -digest sm3 -inkey "$out/official.key" -pkeyopt "distid:$DISTID" \
            -in "$out/message.txt" -out "$out/message.sig"
    else
        openssl dgst -sha256 -sign "$out/official.key" -out "$out/message.sig" "$out/message.txt"
    fi
    # Keys of CAs are not needed by the tests; keep the leaves' keys (test signing) only.
    rm -f "$out/root.key" "$out/ca.key"
done


# An algorithm zhengwu does not verify: a leaf issued by an Ed25519 CA (OID 1.3.101.112).
mkdir -p "$OUT/other"
openssl req -x509 -newkey ed25519 -nodes -keyout "$WORK/ed25519.key" -subj "/CN=zhengwu ed25519 root CA" \
    -days 36500 -addext "keyUsage=critical,keyCertSign,cRLSign" -out "$OUT/other/ed25519-root.pem" 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$WORK/leaf.key" \
    -subj "/CN=张伟" -utf8 -config "$WORK/openssl.cnf" -out "$WORK/leaf.csr" 2>/dev/null
openssl x509 -req -in "$WORK/leaf.csr" -CA "$OUT/other/ed25519-root.pem" -CAkey "$WORK/ed25519.key" \
    -set_serial 0x2001 -days 36500 -extfile "$WORK/openssl.cnf" -extensions sign_ext \
    -out "$OUT/other/ed25519-leaf.pem" 2>/dev/null
echo "fixtures written to $OUT"
