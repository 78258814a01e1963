"""Ten lines an analyst starts with: deadlines on the statutory calendar and credit codes.

    pip install ./bindings/python && python3 examples/python/calendar_and_credit.py
"""

import datetime

from zhengwu import calendar, credit

accepted = datetime.date(2025, 9, 30)
print("法定期限（20个工作日）:", calendar.deadline(accepted, working_days=20))  # 2025-11-04
print("2026-02-28 是工作日:", calendar.is_workday(datetime.date(2026, 2, 28)))  # True (调休)
for result in credit.check_many(["914403001922038216", "91350203M0001QAY9B"]):
    print(result.code, "valid" if result.valid else f"invalid: {result.reason}")
