"""Printable 审批表 benchmark (issue 13): how long WeasyPrint takes to lay out one form, and how
large the PDF is — the loan form with every field filled, and the destruction form with 200
carriers (a list over several pages). No database: the templates are rendered with plain
values, then laid out, ``BAOMI_BENCH_ROUNDS`` times each (default 20); the first (cold: fonts
loaded) is reported apart.

    .venv/bin/python bench/print/run.py

The last line is one JSON object.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
_tmp = tempfile.mkdtemp(prefix="baomi-bench-print-")
os.environ.setdefault("BAOMI_DATA_DIR", os.path.join(_tmp, "data"))
os.environ.setdefault("BAOMI_KEY_DIR", os.path.join(_tmp, "keys"))
os.environ.setdefault("BAOMI_SECRET_KEY", "bench-only-not-a-secret")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baomi.settings")
ROUNDS = int(os.environ.get("BAOMI_BENCH_ROUNDS", "20"))


class _Obj:
    reason = "起草答复意见，需对照原文核实有关数据" * 2
    place = "机要阅文室"
    facility = "市保密局销毁中心"


class _Carrier:
    def __init__(self, n: int) -> None:
        self.registry_number = f"2026-纸-{n:06d}"
        self.copy_number = f"{n:06d}"
        self.title = "关于二〇二六年度全市保密工作专项检查发现问题整改落实情况的报告"

    def mark_text(self) -> str:
        return "机密★10年"


def main() -> None:
    import django

    django.setup()
    from django.template.loader import render_to_string
    from django.utils import translation

    from baomi.kit.printing import render_pdf

    translation.activate("zh-hans")
    base = {"obj": _Obj(), "reference": "JY-1", "copy_number": "000058", "mark": "机密★10年",
                "watermark": "李娜（lina）于 2026-12-06 10:00 打印 · 审批表 JY-1 · 份号 000058",
                "decision": "已批准", "decision_reason": "同意", "approver": "赵六（zhaoliu）", "decided_on": "2026-12-02",
                "requester": "张三（zhangsan）", "requested_on": "2026-12-01"}  # fmt: skip
    forms = {
        "loan": ("carriers/print/loan.html", dict(base, form_title="涉密载体借阅审批表", carrier_number="2026-纸-000017",
                 carrier_copy="000001", carrier_title="关于某专项工作的请示", carrier_mark="机密★10年", carrier_kind="纸质",
                 custodian="王五（wangwu）", borrower="张三", due_on="2026-12-09", lent_on="—", returned_on="—",
                 signature_labels=["申请人", "审批人"])),
        "destruction_200": ("carriers/print/destruction.html", dict(base, form_title="涉密载体销毁审批表",
                            carriers=[_Carrier(n) for n in range(1, 201)], witnesses="甲、乙", executed_by="—",
                            destroyed_on="—", method="—", signature_labels=["申请人", "审批人", "监销人", "监销人"])),
    }  # fmt: skip
    out: dict[str, dict[str, float]] = {}
    for name, (template, ctx) in forms.items():
        html = render_to_string(template, ctx)
        times, size = [], 0
        for _ in range(ROUNDS + 1):
            t = time.perf_counter()
            size = len(render_pdf(html))
            times.append((time.perf_counter() - t) * 1000)
        warm = sorted(times[1:])
        out[name] = {"cold_ms": round(times[0]), "p50_ms": round(statistics.median(warm)),
                     "p95_ms": round(warm[int(0.95 * (len(warm) - 1))]), "kib": round(size / 1024)}  # fmt: skip
        print(f"{name:16} cold {out[name]['cold_ms']:>6} ms  p50 {out[name]['p50_ms']:>6} ms  "
              f"p95 {out[name]['p95_ms']:>6} ms  {out[name]['kib']:>5} KiB")  # fmt: skip
    print(json.dumps({"rounds": ROUNDS, "forms": out}))


if __name__ == "__main__":
    main()
