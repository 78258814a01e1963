#!/usr/bin/env bash
# Makes a throw-away PKI for `zhengwu serve` with OpenSSL 3, valid from yesterday: a root and an
# issuing CA (ECDSA P-256), the server's certificate (localhost, 127.0.0.1), unit certificates for
# reporting systems (统一社会信用代码 in serialNumber; extended key usage clientAuth), an official's
# personal signing certificate (公民身份号码; no extended key usage), one revoked with the CRL that
# says so, one expired, and a client of a foreign CA.
# The tests, the load and crash scripts and the browser check make theirs with it; nothing it
# writes is committed.
#
# Usage: scripts/serve/make_pki.sh OUT
# Writes in OUT: ca.pem (root + issuing CA, for --client-ca), root.pem, crl.pem, server.pem,
# server.key, and for each client NAME.pem / NAME.key / NAME.p12: scjg, zjj, official, revoked,
# expired, foreign; codes.env with the credit codes and the id number used.
set -euo pipefail

OUT=${1:?usage: make_pki.sh OUT}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

# Credit codes of government units (登记管理部门 1, 机关 1, region 530100) with both check
# characters computed (GB 32100 and GB 11714), from an organisation code body.
credit_code() {
    python3 - "$1" <<'PY'
import sys
cs = "0123456789ABCDEFGHJKLMNPQRTUWXY"
org8 = sys.argv[1]
w9 = [3, 7, 9, 10, 5, 8, 4, 2]
s = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(org8, w9))
r = 11 - s % 11
c9 = {10: "X", 11: "0"}.get(r, str(r))
body = "11530100" + org8 + c9
s = sum(cs.index(c) * pow(3, i, 31) for i, c in enumerate(body))
print(body + cs[(31 - s % 31) % 31])
PY
}
SCJG=$(credit_code 01520001)
ZJJ=$(credit_code 01520002)
FOREIGN=$(credit_code 01520003)
ID_NUMBER=11010519491231002X

cat > openssl.cnf <<'CNF'
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
default_crl_days = 30
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
[server_ext]
authorityKeyIdentifier = keyid:always
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
subjectAltName = DNS:localhost, IP:127.0.0.1
[sign_ext]
authorityKeyIdentifier = keyid:always
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
subjectKeyIdentifier = hash
[client_ext]
authorityKeyIdentifier = keyid:always
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
CNF

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2> /dev/null; }
start=$(date -u -d yesterday +%Y%m%d%H%M%SZ)
end=$(date -u -d '+2 years' +%Y%m%d%H%M%SZ)
ca_end=$(date -u -d '+10 years' +%Y%m%d%H%M%SZ)

# A CA directory: DIR NAME SUBJECT [ISSUER_DIR]: self-signed when no issuer.
ca() {
    local dir=$1 subject=$2 issuer=${3:-}
    mkdir -p "$dir/new"
    : > "$dir/index.txt"
    echo 1000 > "$dir/serial"
    echo 01 > "$dir/crlnumber"
    key "$dir/key.pem"
    openssl req -new -key "$dir/key.pem" -subj "$subject" -utf8 -config openssl.cnf -out "$dir/req.pem"
    if [ -z "$issuer" ]; then
        (cd "$dir" && openssl ca -batch -config ../openssl.cnf -selfsign -keyfile key.pem -in req.pem \
            -extensions root_ext -startdate "$start" -enddate "$ca_end" -out cert.pem -notext -utf8 2> /dev/null)
    else
        (cd "$issuer" && openssl ca -batch -config ../openssl.cnf -cert cert.pem -keyfile key.pem \
            -in "../$dir/req.pem" -extensions ca_ext -startdate "$start" -enddate "$ca_end" \
            -out "../$dir/cert.pem" -notext -utf8 2> /dev/null)
    fi
}
# A leaf: CA_DIR NAME SUBJECT EXT START END
leaf() {
    local dir=$1 name=$2 subject=$3 ext=$4 from=$5 until=$6
    key "$OUT/$name.key"
    openssl req -new -key "$OUT/$name.key" -subj "$subject" -utf8 -config openssl.cnf -out "$name.req"
    (cd "$dir" && openssl ca -batch -config ../openssl.cnf -cert cert.pem -keyfile key.pem -in "../$name.req" \
        -extensions "$ext" -startdate "$from" -enddate "$until" -out "$OUT/$name.pem" -notext -utf8 2> /dev/null)
    if [ "$ext" != server_ext ]; then
        openssl pkcs12 -export -in "$OUT/$name.pem" -inkey "$OUT/$name.key" -out "$OUT/$name.p12" \
            -passout pass: -name "$name" 2> /dev/null
    fi
}

ca root "/C=CN/O=zhengwu test/CN=zhengwu test provincial root CA"
ca issuing "/C=CN/O=zhengwu test/CN=zhengwu test issuing CA" root
ca foreign "/C=CN/O=elsewhere/CN=another province CA"

leaf issuing server "/C=CN/O=昆明市监察局/CN=localhost" server_ext "$start" "$end"
# The issuing CA after the server's certificate: the chain a client verifies to the root.
cat issuing/cert.pem >> "$OUT/server.pem"
leaf issuing scjg "/C=CN/ST=云南省/L=昆明市/O=昆明市市场监督管理局/CN=市场监管审批系统/serialNumber=$SCJG" client_ext "$start" "$end"
leaf issuing zjj "/C=CN/ST=云南省/L=昆明市/O=昆明市住房和城乡建设局/CN=住建审批系统/serialNumber=$ZJJ" client_ext "$start" "$end"
# The official's is a 签名证书 as provincial CAs issue them: no extended key usage.
leaf issuing official "/C=CN/ST=云南省/L=昆明市/O=昆明市人民政府/OU=昆明市监察局/CN=张伟/serialNumber=$ID_NUMBER" sign_ext "$start" "$end"
leaf issuing revoked "/C=CN/O=昆明市市场监督管理局/CN=已吊销的系统/serialNumber=$SCJG" client_ext "$start" "$end"
leaf issuing expired "/C=CN/O=昆明市市场监督管理局/CN=过期的系统/serialNumber=$SCJG" client_ext 20200101000000Z 20210101000000Z
leaf foreign foreign "/C=CN/O=外省单位/CN=外省系统/serialNumber=$FOREIGN" client_ext "$start" "$end"

(cd issuing && openssl ca -batch -config ../openssl.cnf -cert cert.pem -keyfile key.pem \
    -revoke "$OUT/revoked.pem" -crl_reason keyCompromise 2> /dev/null \
    && openssl ca -batch -config ../openssl.cnf -cert cert.pem -keyfile key.pem -gencrl -out "$OUT/crl.pem" 2> /dev/null)

cp root/cert.pem "$OUT/root.pem"
cat root/cert.pem issuing/cert.pem > "$OUT/ca.pem"
cat > "$OUT/codes.env" <<ENV
SCJG_CODE=$SCJG
ZJJ_CODE=$ZJJ
FOREIGN_CODE=$FOREIGN
OFFICIAL_ID=$ID_NUMBER
ENV
