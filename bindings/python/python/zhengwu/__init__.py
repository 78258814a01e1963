"""zhengwu (政务): the logic of a Chinese municipal e-government platform, for analysts.

Submodules: :mod:`zhengwu.archives` (电子档案: pack a closed case, verify a package),
:mod:`zhengwu.calendar` (the statutory working-day calendar), :mod:`zhengwu.credit`
(统一社会信用代码), :mod:`zhengwu.documents` (公文 validation), :mod:`zhengwu.seals` (电子印章: GB/T 38540
seals, signatures and signed OFD documents verified), :mod:`zhengwu.supervision`
(电子监察 statistics, alerts and ranking as pandas DataFrames, mergeable partials),
:mod:`zhengwu.workflow` (processes and cases on the engine).

Every error is a :class:`ZhengwuError`; each area has its subclass, and an argument of the
wrong type or out of range is an :class:`ArgumentError` (also a ``TypeError`` and a
``ValueError``). A command a case refuses is a :class:`CaseRejected` (a :class:`WorkflowError`)
whose ``kind`` names why (``"case_closed"``, ``"step_not_open"``, ``"handed_to_another"``, ...).
"""

from zhengwu._zhengwu import (
    ArchiveError,
    ArgumentError,
    CalendarError,
    CaseRejected,
    CreditError,
    DocumentError,
    SupervisionError,
    WorkflowError,
    ZhengwuError,
)
from zhengwu import archives, calendar, credit, documents, seals, supervision, workflow

__all__ = [
    "ArchiveError",
    "ArgumentError",
    "CalendarError",
    "CaseRejected",
    "CreditError",
    "DocumentError",
    "SupervisionError",
    "WorkflowError",
    "ZhengwuError",
    "archives",
    "calendar",
    "credit",
    "documents",
    "seals",
    "supervision",
    "workflow",
]
__version__ = "0.1.0"
