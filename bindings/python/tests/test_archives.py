"""电子档案 through Python, checked from outside: the package opened with :mod:`zipfile`, its
manifest recomputed with :mod:`hashlib` (SHA-256, and SM3 where OpenSSL offers it), and members
changed the way another tool would change them."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import pathlib
import zipfile
from typing import Any, Dict, List

import pytest

import zhengwu
from zhengwu import archives

ROOT = pathlib.Path(__file__).resolve().parents[3]
PKI = ROOT / "identity" / "tests" / "data" / "pki" / "sm2"
CHINA = datetime.timezone(datetime.timedelta(hours=8))
PACKED_AT = datetime.datetime(2027, 3, 9, 9, 0, tzinfo=CHINA)


def _event(sequence: int, day: str, **kind: Any) -> Dict[str, Any]:
    return {
        "schema": 1,
        "idempotency_key": f"PY-1#{sequence}",
        "case_id": "PY-1",
        "sequence": sequence,
        "item_code": "530100-SC-001",
        "department": "km-scjg",
        "region": "530102",
        "occurred_at": f"{day}T10:00:00+08:00",
        "recorded_at": f"{day}T10:00:00+08:00",
        "actor": {"id": "zhangwei"},
        **kind,
    }


EVENTS: List[Dict[str, Any]] = [
    _event(1, "2027-03-01", type="received", channel="online"),
    _event(2, "2027-03-01", type="accepted"),
    _event(3, "2027-03-05", type="concluded", decision="granted", document_number="昆市监许〔2027〕5号"),
]
LICENCE = bytes((i * 7919) % 251 for i in range(60_000))


def _pack(hash: str = "sm3", **extra: Any) -> bytes:
    return archives.pack(
        EVENTS, "10y", packed_at=PACKED_AT, documents={"执照.png": LICENCE, "决定.txt": "准予".encode()}, hash=hash, **extra
    )


def _members(package: bytes) -> Dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _rezip(members: Dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize("algorithm", ["sha256", "sm3"])
def test_the_manifest_is_what_hashlib_computes(algorithm: str) -> None:
    if algorithm not in hashlib.algorithms_available:
        pytest.skip(f"this OpenSSL has no {algorithm}")
    members = _members(_pack(algorithm))
    manifest = json.loads(members.pop("manifest.json"))
    assert manifest["hash"] == {"sha256": "SHA-256", "sm3": "SM3"}[algorithm]
    assert [entry["path"] for entry in manifest["members"]] == list(members)
    for entry in manifest["members"]:
        data = members[entry["path"]]
        assert entry["size"] == len(data)
        assert entry["hash"] == hashlib.new(algorithm, data).hexdigest()
    assert members["mimetype"] == b"application/vnd.zhengwu.archive+zip"
    metadata = json.loads(members["metadata.json"])
    assert metadata["retention_term"] == "定期10年"
    assert metadata["document_number"] == "昆市监许〔2027〕5号"
    assert [json.loads(line)["sequence"] for line in members["events.jsonl"].splitlines()] == [1, 2, 3]


def test_a_flipped_byte_in_the_largest_member_is_named() -> None:
    package = _pack()
    check = archives.verify(package)
    assert check.valid and check.package is not None
    assert check.package["events"] == 3
    members = _members(package)
    largest = max(members, key=lambda name: len(members[name]))
    assert largest == "documents/执照.png"
    members[largest] = members[largest][:100] + bytes([members[largest][100] ^ 1]) + members[largest][101:]
    check = archives.verify(_rezip(members))
    assert not check.valid
    assert (check.kind, check.member) == ("changed_member", "documents/执照.png")
    assert check.reason is not None and "documents/执照.png" in check.reason
    # The same flip in the package file itself (members are stored, so the bytes are there as is).
    raw = bytearray(package)
    at = raw.find(LICENCE)
    raw[at + 30_000] ^= 0x10
    assert archives.verify(bytes(raw)).member == "documents/执照.png"


def test_missing_and_added_members_and_non_packages() -> None:
    members = _members(_pack())
    del members["documents/决定.txt"]
    check = archives.verify(_rezip(members))
    assert (check.kind, check.member) == ("missing_member", "documents/决定.txt")
    members = _members(_pack())
    members["documents/后补.txt"] = b"later"
    assert archives.verify(_rezip(members)).kind == "unlisted_member"
    assert archives.verify(b"PK not really").kind == "not_a_package"


def test_a_signed_package_checks_its_signer_against_the_trust_given(tmp_path: pathlib.Path) -> None:
    package = _pack(sign_key_pem=(PKI / "unit.key").read_text(), sign_cert=(PKI / "unit.pem").read_bytes())
    trust = [(PKI / "root.pem").read_bytes(), (PKI / "ca.pem").read_bytes()]
    path = tmp_path / "PY-1.zip"
    path.write_bytes(package)
    check = archives.verify(path, trust)
    assert check.valid and check.package is not None and check.package["chains_checked"]
    assert "华为技术有限公司" in check.package["package_signer"]
    assert archives.verify(package, [(PKI / "ca.pem").read_bytes()]).valid
    assert archives.verify(package, [(ROOT / "identity/tests/data/pki/ec/root.pem").read_bytes()]).kind == "untrusted"


def test_what_cannot_be_packed_raises_archive_errors() -> None:
    with pytest.raises(zhengwu.ArchiveError, match="case `PY-1` is not concluded"):
        archives.pack(EVENTS[:2], "永久", packed_at=PACKED_AT)
    with pytest.raises(zhengwu.ArchiveError, match="unknown retention period `forever`"):
        archives.pack(EVENTS, "forever", packed_at=PACKED_AT)
    with pytest.raises(zhengwu.ArchiveError, match="may not hold `/`"):
        archives.pack(EVENTS, "30y", packed_at=PACKED_AT, documents={"a/b.pdf": b"x"})
    with pytest.raises(zhengwu.ArgumentError):
        archives.pack(EVENTS, "30y", packed_at=datetime.datetime(2027, 3, 9))


SEALS = ROOT / "identity" / "tests" / "data" / "seals"


def test_seals_verify_signatures_and_name_the_part_that_failed() -> None:
    from zhengwu import seals

    data = (SEALS / "data.txt").read_bytes()
    trust = [(PKI / "root.pem").read_bytes(), (PKI / "ca.pem").read_bytes()]
    [check] = seals.verify(SEALS / "signature-v4.dat", data=data, trust=trust)
    assert check.valid and check.verified is not None
    assert check.verified["chains_checked"] and check.verified["data_checked"]
    assert check.verified["at"] == "2027-03-15T02:03:04Z"
    [check] = seals.verify(SEALS / "signature-v4.dat", data=b"another text")
    assert (check.valid, check.part) == (False, "data_hash")
    [check] = seals.verify(SEALS / "signed.ofd", trust=trust)
    assert check.valid and check.what == "Doc_0/Signs/Sign_0/Signature.xml (2 protected files)"
    [check] = seals.verify(SEALS / "seal-v4.esl", at=datetime.datetime(2032, 1, 1, tzinfo=CHINA))
    assert (check.valid, check.part) == (False, "maker_certificate")
    [check] = seals.verify(b"\x30\x03\x02\x01\x04")
    assert (check.valid, check.part) == (False, "structure")


def test_statutory_application_templates_make_catalogue_items(tmp_path: pathlib.Path) -> None:
    from zhengwu import supervision

    catalogue = supervision.template("suggestion", "530100-RDJY-zjj", "km-zjj")
    [item] = catalogue["item"]
    assert item["statute"] == "proposal"
    assert item["legal_limit"] == {"days": 3, "unit": "months"}
    petition = supervision.template("petition", "530100-XF", "km-cgj", office="km-xfj")
    assert [i["code"] for i in petition["item"]] == ["530100-XF-DJ", "530100-XF-BL", "530100-XF-FC", "530100-XF-FH"]
    with pytest.raises(zhengwu.SupervisionError, match="unknown application `fair`"):
        supervision.template("fair", "X", "Y")
    # The items run: a 建议 交办 10 March 2026, answered 11 June, is a day late.
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(catalogue, ensure_ascii=False), encoding="utf-8")
    events = [
        {**_event(1, "2026-03-10", type="received", channel="window"), "item_code": "530100-RDJY-zjj", "department": "km-zjj"},
        {**_event(2, "2026-03-10", type="accepted"), "item_code": "530100-RDJY-zjj", "department": "km-zjj"},
        {**_event(3, "2026-06-11", type="concluded", decision="granted"), "item_code": "530100-RDJY-zjj", "department": "km-zjj"},
    ]
    result = supervision.replay(events, str(path), as_of=datetime.datetime(2026, 6, 30, tzinfo=CHINA))
    assert "TIME_OVER_LEGAL" in set(result.alerts()["code"])
