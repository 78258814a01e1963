"""统一社会信用代码 (GB 32100-2015): check one code, or many."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, List, Optional

from zhengwu._zhengwu import CreditError, check_credit_code
from zhengwu._boundary import guard

__all__ = ["CreditCheck", "check", "check_many"]


@dataclass(frozen=True)
class CreditCheck:
    """The result of checking one code: valid, or the reason it is not."""

    code: str
    valid: bool
    reason: Optional[str]
    registration_authority: Optional[str]
    warnings: List[str]


@guard(CreditError)
def check(code: str) -> CreditCheck:
    """Checks both check characters (the 组织机构代码's and the code's own) and the structure."""
    result = check_credit_code(code)
    return CreditCheck(
        code=result["code"],
        valid=result["valid"],
        reason=result["reason"],
        registration_authority=result["registration_authority"],
        warnings=list(result["warnings"]),
    )


@guard(CreditError)
def check_many(codes: Iterable[str]) -> List[CreditCheck]:
    """Checks every code, in order."""
    return [check(code) for code in codes]
