"""``baomi audit verify``, ``baomi audit checkpoint``, ``baomi audit seal`` (SEC-3).

Exit codes of ``verify``: 0 intact, 1 a problem found (the first failing sequence number is
named), 2 the checkpoint file could not be used.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from baomi.audit import chain, services


def register(sub: Any) -> None:
    audit = sub.add_parser("audit", help="审计链: 校验、检查点、封存").add_subparsers(
        dest="audit_command", metavar="VERB"
    )
    p = audit.add_parser("verify", help="重新计算整条审计链; 完好返回 0, 发现篡改返回 1 并指出首个序号")
    p.add_argument("--checkpoint", type=Path, metavar="FILE", help="用此前导出的检查点检测截断")
    p.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    p.set_defaults(func=cmd_verify)

    p = audit.add_parser("checkpoint", help="导出链头 (序号, MAC) 作为检查点; 请保存在本系统之外")
    p.add_argument("--output", "-o", type=Path, metavar="FILE", help="写入文件 (默认输出到标准输出)")
    p.set_defaults(func=cmd_checkpoint)

    p = audit.add_parser("seal", help="立即把待封存的审计条目封入审计链 (定时任务每分钟执行)")
    p.set_defaults(func=cmd_seal)


def cmd_verify(ns: argparse.Namespace) -> int:
    checkpoint = None
    if ns.checkpoint is not None:
        try:
            checkpoint = chain.Checkpoint.from_json(ns.checkpoint.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            print(_("The checkpoint file cannot be used: %(error)s") % {"error": exc}, file=sys.stderr)
            return 2
    result = services.verify(None, checkpoint)
    if ns.json:
        print(json.dumps(result.summary(), ensure_ascii=False))
    first = result.first
    if first is None:
        if not ns.json:
            print(
                _(
                    "Audit chain intact: %(checked)d entries sealed, head sequence number %(seq)d, %(pending)d pending."
                )
                % {"checked": result.checked, "seq": result.head_seq, "pending": result.pending}
            )
            if checkpoint is not None:
                print(_("The checkpoint at sequence number %(seq)d matches.") % {"seq": checkpoint.seq})
        return 0
    for finding in result.findings[:20]:
        print(describe(finding), file=sys.stderr)
    print(
        _("Audit chain verification FAILED at sequence number %(seq)s.")
        % {"seq": first.seq if first.seq is not None else "-"},
        file=sys.stderr,
    )
    return 1


def describe(finding: Any) -> str:
    where = []
    if finding.seq is not None:
        where.append(_("sequence number %(seq)d") % {"seq": finding.seq})
    if finding.entry_id is not None:
        where.append(_("entry #%(id)d") % {"id": finding.entry_id})
    return f"{', '.join(where)}: {finding.text}"


def cmd_checkpoint(ns: argparse.Namespace) -> int:
    cp = services.checkpoint(None)
    if ns.output is None:
        sys.stdout.write(cp.as_json())
    else:
        ns.output.write_text(cp.as_json(), encoding="utf-8")
        print(_("Checkpoint at sequence number %(seq)d written to %(path)s. Keep it outside this system.")
              % {"seq": cp.seq, "path": ns.output}, file=sys.stderr)  # fmt: skip
    return 0


def cmd_seal(ns: argparse.Namespace) -> int:
    sealed = chain.seal_pending()
    seq, _mac = chain.head()
    print(_("%(n)d entries sealed; head sequence number %(seq)d.") % {"n": sealed, "seq": seq})
    return 0
