"""电子印章 (GB/T 38540-2020; GM/T 0031-2014's v1): verify a seal (``SES_Seal``), a signature
(``SES_Signature``) or every signature of a signed OFD document, in the standard's order: the seal
maker's signature and certificate, the seal in force when used, the signer among the seal's users,
the signer's certificate and signature, the signed data (and in OFD each protected file).

    >>> [check.valid for check in seals.verify("signed.ofd", trust=[root_pem, ca_pem])]
    [True]
"""

from __future__ import annotations

import datetime
import json
import pathlib
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence, Union

from zhengwu._zhengwu import ArchiveError, verify_seal_file
from zhengwu._boundary import guard

__all__ = ["SealCheck", "verify"]


@dataclass(frozen=True)
class SealCheck:
    """One seal or signature in the file: valid with what the verification found (``maker``,
    ``signer``, ``at``, ``chains_checked``, ``data_checked`` …), or the ``part`` that failed
    (``maker_signature``, ``maker_certificate``, ``seal_validity``, ``signer_authorisation``,
    ``signer_certificate``, ``signer_signature``, ``data_hash``, ``protected_file``,
    ``structure``) and why."""

    what: str
    valid: bool
    part: Optional[str]
    reason: Optional[str]
    verified: Optional[Dict[str, Any]]


@guard(ArchiveError)
def verify(
    file: Union[bytes, str, pathlib.Path],
    *,
    at: Optional[datetime.datetime] = None,
    used_at: Optional[datetime.datetime] = None,
    data: Optional[bytes] = None,
    trust: Sequence[bytes] = (),
    signer_cert: Optional[bytes] = None,
) -> List[SealCheck]:
    """Verifies a seal, a signature or a signed OFD document (bytes or a path). ``at`` is the
    instant the certificates are judged at (default: a signature's own time; required for a seal
    alone); ``used_at`` when a seal alone was used; ``data`` the protected data of a bare
    signature; ``trust`` root and CA certificates (PEM or DER) the certificates must chain to;
    ``signer_cert`` the certificate of an OFD signature without a seal."""
    content = pathlib.Path(file).read_bytes() if isinstance(file, (str, pathlib.Path)) else bytes(file)
    answers = json.loads(
        verify_seal_file(
            content,
            at,
            used_at,
            None if data is None else bytes(data),
            [bytes(t) for t in trust],
            None if signer_cert is None else bytes(signer_cert),
        )
    )
    return [SealCheck(a["what"], a["valid"], a["part"], a["reason"], a["verified"]) for a in answers]
