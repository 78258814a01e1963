"""电子档案: a closed case packed into one archival package, and a package verified member by
member (the layout is zhengwu-archive's: a ZIP of stored members, ``metadata.json``,
``events.jsonl``, the signers' certificates, the documents and a ``manifest.json`` of SM3 or
SHA-256 hashes, optionally signed by the archiving unit).

    >>> package = archives.pack(events, "30y", documents={"决定书.pdf": pdf_bytes},
    ...                         packed_at=datetime.datetime(2027, 3, 9, 9, tzinfo=china))
    >>> archives.verify(package).valid
    True
"""

from __future__ import annotations

import datetime
import json
import pathlib
from dataclasses import dataclass
from typing import Any, Dict, Iterable, Mapping, Optional, Sequence, Union

from zhengwu._zhengwu import ArchiveError, pack_archive, verify_archive
from zhengwu._boundary import guard

__all__ = ["ArchiveCheck", "pack", "verify"]

Events = Union[str, pathlib.Path, Iterable[Mapping[str, Any]]]


@dataclass(frozen=True)
class ArchiveCheck:
    """A package's verification: valid with what it holds, or the first failure with its kind
    (``changed_member``, ``missing_member``, ``unlisted_member``, ``broken_signature``,
    ``untrusted``, ``invalid``, ``not_a_package``) and the member it names."""

    valid: bool
    kind: Optional[str]
    member: Optional[str]
    reason: Optional[str]
    package: Optional[Dict[str, Any]]


def _event_lines(events: Events) -> str:
    if isinstance(events, str) and ("\n" in events or events.lstrip().startswith("{")):
        return events  # JSON lines as text
    if isinstance(events, (str, pathlib.Path)):
        return pathlib.Path(events).read_text(encoding="utf-8")
    return "\n".join(json.dumps(dict(event), ensure_ascii=False, default=str) for event in events)


@guard(ArchiveError)
def pack(
    events: Events,
    retention: str,
    *,
    packed_at: datetime.datetime,
    documents: Optional[Mapping[str, bytes]] = None,
    hash: str = "sm3",
    packed_by: Optional[str] = None,
    sign_key_pem: Optional[str] = None,
    sign_cert: Optional[bytes] = None,
) -> bytes:
    """The package of a closed case: ``events`` as JSON lines (text or a file path) or event
    dicts, all of the case's in sequence; ``retention`` ``"permanent"`` / ``"30y"`` / ``"10y"``
    (or 永久 / 定期30年 / 定期10年); ``documents`` file name → bytes; ``hash`` ``"sm3"`` or
    ``"sha256"``; signed by the archiving unit when ``sign_key_pem`` (PKCS#8) and ``sign_cert``
    (PEM or DER bytes) are given. Raises :class:`zhengwu.ArchiveError` naming what is wrong (an
    open case, a gap in the sequence, a broken event signature, a document name with a folder)."""
    docs = [(str(name), bytes(data)) for name, data in (documents or {}).items()]
    return bytes(
        pack_archive(
            _event_lines(events),
            retention,
            docs,
            hash,
            packed_at,
            packed_by,
            sign_key_pem,
            None if sign_cert is None else bytes(sign_cert),
        )
    )


@guard(ArchiveError)
def verify(package: Union[bytes, str, pathlib.Path], trust: Sequence[bytes] = ()) -> ArchiveCheck:
    """Verifies a package (its bytes or a file path): the first failure, naming the member or
    the signature, or what it holds. With ``trust`` (root and issuing CA certificates, PEM or
    DER bytes) every signer's chain is checked too."""
    data = pathlib.Path(package).read_bytes() if isinstance(package, (str, pathlib.Path)) else bytes(package)
    answer = json.loads(verify_archive(data, [bytes(t) for t in trust]))
    return ArchiveCheck(
        valid=answer["valid"],
        kind=answer["kind"],
        member=answer["member"],
        reason=answer["reason"],
        package=answer["package"],
    )
