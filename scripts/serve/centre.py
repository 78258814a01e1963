"""What the centre's scripts share: a throw-away PKI with its clients file, a free port, a
centre started and waited for, a request as the official."""

import json
import pathlib
import socket
import ssl
import subprocess
import sys
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "tests/data/supervision/catalogue.toml"


def make_pki(work: pathlib.Path) -> pathlib.Path:
    """`scripts/serve/make_pki.sh` into WORK/pki, and a clients file: the 市场监管 system reports
    for km-scjg, the official jc-001 reads and works region 530100."""
    pki = work / "pki"
    subprocess.run(["bash", str(ROOT / "scripts/serve/make_pki.sh"), str(pki)], check=True)
    codes = dict(line.split("=", 1) for line in (pki / "codes.env").read_text().split())
    (pki / "clients.toml").write_text(
        f'[[client]]\ncredit_code = "{codes["SCJG_CODE"]}"\ndepartments = ["km-scjg"]\n\n'
        f'[[official]]\nid_number = "{codes["OFFICIAL_ID"]}"\nofficial = "jc-001"\nregions = ["530100"]\n'
    )
    return pki


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(zhengwu: str, store: pathlib.Path, pki: pathlib.Path, port: int) -> subprocess.Popen:
    """Starts `zhengwu serve` and returns once it listens."""
    process = subprocess.Popen(
        [zhengwu, "serve", "--store", str(store), "--catalogue", str(CATALOGUE),
         "--listen", f"127.0.0.1:{port}", "--tls-cert", str(pki / "server.pem"),
         "--tls-key", str(pki / "server.key"), "--client-ca", str(pki / "ca.pem"),
         "--client-crl", str(pki / "crl.pem"), "--clients", str(pki / "clients.toml")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    line = process.stdout.readline() if process.stdout else ""
    if "listening" not in line:
        sys.exit(f"the centre did not start: {line}{process.stdout.read() if process.stdout else ''}")
    return process


def context(pki: pathlib.Path, name: str) -> ssl.SSLContext:
    """TLS as client `name` of the PKI."""
    tls = ssl.create_default_context(cafile=str(pki / "root.pem"))
    tls.load_cert_chain(str(pki / f"{name}.pem"), str(pki / f"{name}.key"))
    return tls


def get(port: int, pki: pathlib.Path, path: str) -> object:
    """GET as the official, the answer's JSON."""
    with urllib.request.urlopen(f"https://localhost:{port}{path}", context=context(pki, "official"),
                                timeout=60) as response:
        return json.load(response)
