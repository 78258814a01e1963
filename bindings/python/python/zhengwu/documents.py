"""公文: validate a document (a dict shaped as ``zhengwu_core::OfficialDocument``) against the
行文规则 and the GB/T 9704-2012 element formats."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Mapping

from zhengwu._zhengwu import DocumentError, validate_document
from zhengwu._boundary import guard

__all__ = ["validate"]


@guard(DocumentError)
def validate(document: Mapping[str, Any]) -> List[Dict[str, str]]:
    """Every violation, with its rule code (``GW01`` …), element, severity and Chinese message;
    an empty list when the document is in order. Raises :class:`zhengwu.DocumentError` when the
    dict is not a document."""
    violations: List[Dict[str, str]] = json.loads(validate_document(json.dumps(dict(document), ensure_ascii=False)))
    return violations
