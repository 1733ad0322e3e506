"""Bulk generator for the ledger benchmark: departments, users, items, scopes and carriers on
PostgreSQL with realistic skew, loaded by COPY with indexes and constraints built afterwards.

Shape (defaults for 1,000,000 carriers; every count scales with BAOMI_BENCH_CARRIERS):
* 500 departments whose sizes follow a Zipf-like law (the largest has ~8 % of the people);
* 10,000 users, most cleared 秘密 (confidential), a few 机密/绝密, some only 工作秘密/内部;
* 200,000 items, levels 40 % 公开, 13 % 内部, 12 % 工作秘密, 25 % 秘密, 8 % 机密, 2 % 绝密;
* each item's scope: one department (its own, 90 %) plus 0-3 people; 10 % of entries expired,
  5 % not yet valid;
* 1,000,000 carriers, about five per item, held mostly by people of the scoped department,
  registered over five years in id order.

Columns the generator does not set take the model field's default, so fields that other apps
add later load without changes here.
"""

from __future__ import annotations

import io
import random
import time
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建国建华志强海燕晓东文博子涵浩然思远雨轩"
DEPT_WORDS = ["办公室", "综合处", "财务处", "人事处", "法规处", "规划处", "信息中心", "保密办", "审计处", "后勤服务中心",
              "科技处", "外事处", "档案室", "督查室", "宣传处", "组织处", "监察室", "项目办", "调研室", "统计处"]  # fmt: skip
PREFIXES = ["关于", "关于", "", "", "2025年", "2026年度", "市", "区", "全市", "本单位"]
TOPICS = [
    "保密工作", "财务预算", "安全检查", "人事任免", "网络安全", "应急管理", "干部考核", "信息化建设", "项目招标",
    "审计整改", "档案管理", "会议筹备", "党风廉政建设", "安全生产", "防汛抗旱", "土地规划", "重大项目", "外事接待",
    "科技创新", "统计调查", "机构编制", "绩效评估", "政务公开", "信访维稳", "节能减排", "城市更新", "交通规划",
    "产业发展", "招商引资", "教育培训", "医疗保障", "食品安全", "环境保护", "水利建设", "农业农村", "乡村振兴",
    "公共卫生", "社会救助", "住房保障", "营商环境", "数据治理", "密码管理", "涉密载体", "要害部位", "通信保障",
    "装备采购", "后勤保障", "资产清查", "巡视整改", "专项资金", "债务管理", "税收征管", "金融监管", "物价监测",
    "国土空间", "生态修复", "文物保护", "民族宗教", "对口支援", "区域合作", "人才引进", "工资调整", "离退休",
    "工会工作", "共青团", "妇联工作", "志愿服务", "舆情应对", "新闻发布", "内部控制", "风险防控", "质量监督",
    "标准制定", "知识产权", "科研项目", "实验室", "数据中心", "电子政务",
]  # fmt: skip
DOCTYPES = ["的通知", "的请示", "的报告", "工作方案", "会议纪要", "实施意见", "情况通报", "的函", "统计表", "工作总结",
            "计划", "的批复"]  # fmt: skip
PLACES = ["保密室A柜", "保密室B柜", "机要室", "档案室3号柜", "办公室保密柜", "信息中心机房", "要害部位库房"]

LEVELS = [
    ("public", 40),
    ("internal", 13),
    ("work_secret", 12),
    ("confidential", 25),
    ("secret", 8),
    ("top_secret", 2),
]
CLEARANCES = [("internal", 5), ("work_secret", 8), ("confidential", 70), ("secret", 15), ("top_secret", 2)]
KINDS = [
    ("paper", "P", 60),
    ("electronic", "E", 25),
    ("medium", "M", 8),
    ("device", "D", 5),
    ("secret_product", "S", 2),
]
STATUSES = [("registered", 84), ("on_loan", 5), ("archived", 4), ("destroyed", 4), ("taken_out", 1), ("sealed", 1),
            ("under_repair", 1)]  # fmt: skip


def _text(value: Any) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


def copy_rows(cur: Any, model: Any, columns: list[str], rows: Iterable[tuple], chunk: int = 50_000) -> int:
    """COPY ``rows`` (text values for ``columns``) into ``model``'s table; every other column gets
    the field default."""
    rest = [f for f in model._meta.concrete_fields if f.column not in columns]
    suffix = "".join(
        "\t" + _text(f.get_default() if f.has_default() else (None if f.null else "")) for f in rest
    )
    cols = ", ".join(f'"{c}"' for c in columns + [f.column for f in rest])
    n = 0
    with cur.copy(f"COPY {model._meta.db_table} ({cols}) FROM STDIN") as copy:
        buf = io.StringIO()
        for row in rows:
            buf.write("\t".join(row))
            buf.write(suffix)
            buf.write("\n")
            n += 1
            if n % chunk == 0:
                copy.write(buf.getvalue())
                buf = io.StringIO()
        copy.write(buf.getvalue())
    return n


def _picker(rng: random.Random, weighted: list[tuple[Any, int]]) -> Callable[[], Any]:
    values = [v for v, _ in weighted]
    cum = []
    total = 0
    for _, w in weighted:
        total += w
        cum.append(total)
    import bisect

    def pick() -> Any:
        return values[bisect.bisect_right(cum, rng.random() * total)]

    return pick


def drop_indexes(cur: Any, tables: list[str]) -> list[str]:
    """Drop secondary indexes, unique and foreign-key constraints of ``tables``; return the SQL
    that recreates them (indexes first, then constraints)."""
    recreate_idx, recreate_con = [], []
    cur.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype FROM pg_constraint "
        "WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('u', 'f')",
        [tables],
    )
    for table, name, definition, _ in cur.fetchall():
        recreate_con.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    cur.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary",
        [tables],
    )
    for name, definition in cur.fetchall():
        recreate_idx.append(definition)
        cur.execute(f"DROP INDEX {name}")
    return recreate_idx + recreate_con


def hold_generated_clearances() -> None:
    """Give the bench's people the clearances the generator drew, to stay: no personnel file
    stands behind them (the bench loads none), so the first request of a person whose clearance
    is due to be derived again (``clearance_check_on``, set by the accounts migrations) would drop
    it to the uncleared level (R-AC-4) and the bench would measure a 工作秘密 "officer". Written
    straight to the bench's own database, never by the product."""
    from django.db import connection

    from baomi.accounts.models import Department, User

    users, depts = User._meta.db_table, Department._meta.db_table
    with connection.cursor() as cur:
        # Table names come from the models' metadata; the bench's own database.
        cur.execute(f"UPDATE {users} SET clearance_check_on = NULL")  # noqa: S608
        cur.execute(f"UPDATE {users} SET clearance = 'secret' WHERE id IN (SELECT head_id FROM {depts})")  # noqa: S608
        cur.execute(
            f"UPDATE {users} SET clearance = 'top_secret' WHERE id IN "  # noqa: S608
            f"(SELECT user_id FROM accounts_roleassignment WHERE role = 'security_officer')"
        )


def loaded_marks_verify() -> bool:
    """The loaded marks verify under the keys in use (``BAOMI_KEY_DIR``, kept beside the data):
    otherwise every row reads as tampered — the policy hides it from most readers and alarms
    each one in the trail — and a bench would measure that. Reusing benches call it."""
    from baomi.carriers import integrity
    from baomi.carriers.models import Carrier
    from baomi.classification.marking import mark_is_tampered

    sample = list(Carrier.objects.select_related("item").order_by("?")[:20])
    ok = bool(sample) and not any(integrity.tampered(c) or mark_is_tampered(c.item) for c in sample)
    if not ok:
        print("the loaded data does not verify under these keys: loading it again", flush=True)
    return ok


def generate(conn: Any, n_carriers: int, seed: int = 20261128, n_users: int | None = None) -> dict[str, Any]:
    """Truncate and load the bench data; returns counts and timings. ``n_users`` overrides the
    number of people (bench/picker loads the 10,000-person registry with few carriers)."""
    from django.contrib.auth.hashers import make_password

    from baomi.accounts import pinyin
    from baomi.accounts.models import Department, RoleAssignment, User
    from baomi.carriers import integrity as carrier_integrity
    from baomi.carriers.models import Carrier, CarrierCount, RegistrationCount, RegistrySequence
    from baomi.classification.marking import TARGET as MARK_TARGET
    from baomi.classification.marking import item_mark
    from baomi.classification.models import Item, ItemScope
    from baomi.core import marks

    rng = random.Random(seed)
    n_items = max(100, n_carriers // 5)
    n_users = n_users or max(200, n_carriers // 100)
    n_depts = max(20, min(500, n_users // 20))
    # Load (or create) the audit key the marks are bound under now: its first use checks the
    # database, which it could not do on the connection while a COPY below holds it.
    marks.mark_mac(MARK_TARGET, 0, "")
    t0 = time.perf_counter()
    tables = [m._meta.db_table for m in (Carrier, ItemScope, Item, RoleAssignment, User, Department)]
    with conn.cursor() as cur:
        cur.execute("SET maintenance_work_mem = '512MB'")
        count_table = CarrierCount._meta.db_table
        days_table = RegistrationCount._meta.db_table
        cur.execute(
            "TRUNCATE "
            + ", ".join([*tables, RegistrySequence._meta.db_table, count_table, days_table])
            + " CASCADE"
        )
        # The kept counts (carriers/tally.py) are filled once after the load, as their migrations
        # do, instead of a trigger row per copied carrier.
        for trigger in ("carriers_count_insert_delete", "carriers_registered_insert_delete"):
            cur.execute(f"ALTER TABLE {Carrier._meta.db_table} DISABLE TRIGGER {trigger}")
        recreate = drop_indexes(cur, tables)

        # Departments: Zipf-like sizes.
        weights = [1 / (r**0.8) for r in range(1, n_depts + 1)]
        scale = n_users / sum(weights)
        sizes = [max(1, int(w * scale)) for w in weights]
        sizes[0] += n_users - sum(sizes)
        dept_of_user: list[int] = []
        members: dict[int, list[int]] = {}
        uid = 0
        for d, size in enumerate(sizes, 1):
            members[d] = list(range(uid + 1, uid + size + 1))
            dept_of_user += [d] * size
            uid += size
        heads = {d: m[0] for d, m in members.items()}
        now = datetime.now().astimezone()
        copy_rows(cur, Department, ["id", "name", "code", "parent_id", "head_id", "sort_order", "created_at"], (
            (str(d), "本单位" if d == 1 else f"{DEPT_WORDS[d % len(DEPT_WORDS)]}{d}", f"D{d:04d}",
             r"\N" if d == 1 else str(rng.randint(1, min(d - 1, 20))), str(heads[d]), str(d), now.isoformat())
            for d in range(1, n_depts + 1)
        ))  # fmt: skip

        # Users: most cleared 秘密; heads 机密; three security officers 绝密.
        password = make_password("Bench@Pass2026")
        clearance = _picker(rng, CLEARANCES)
        officers = [n_users - 2, n_users - 1, n_users]
        head_set = set(heads.values())

        def user_rows() -> Iterable[tuple]:
            for u in range(1, n_users + 1):
                level = "top_secret" if u in officers else ("secret" if u in head_set else clearance())
                name = (
                    rng.choice(SURNAMES)
                    + rng.choice(GIVEN)
                    + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
                )
                yield (
                    str(u),
                    f"u{u:06d}",
                    name,
                    pinyin.initials(name),
                    pinyin.full(name),
                    str(dept_of_user[u - 1]),
                    level,
                    password,
                    "t",
                    now.isoformat(),
                )

        copy_rows(cur, User, ["id", "username", "full_name", "name_initials", "name_pinyin", "department_id",
                              "clearance", "password", "is_active", "date_joined"], user_rows())  # fmt: skip
        roles = [(str(u), "staff") for u in range(1, n_users + 1)] + [
            (str(u), "security_officer") for u in officers
        ]
        copy_rows(cur, RoleAssignment, ["id", "user_id", "role", "assigned_at"],
                  ((str(i), u, r, now.isoformat()) for i, (u, r) in enumerate(roles, 1)))  # fmt: skip

        # Items and their scopes.
        level = _picker(rng, LEVELS)
        dept_pick = _picker(rng, [(d, s) for d, s in enumerate(sizes, 1)])
        item_level: list[str] = [""]
        item_dept: list[int] = [0]
        item_title: list[str] = [""]
        for _ in range(n_items):
            item_level.append(level())
            item_dept.append(dept_pick())
            item_title.append(rng.choice(PREFIXES) + rng.choice(TOPICS) + rng.choice(DOCTYPES))
        start = now - timedelta(days=5 * 365)
        copy_rows(cur, Item, ["id", "title", "level", "status", "duration_kind", "duration_value", "duration_unit",
                              "department_id", "proposed_by_id", "created_at"], (
            (str(i), item_title[i], item_level[i], "determined", "period", "10", "year", str(item_dept[i]),
             str(rng.choice(members[item_dept[i]])), start.isoformat())
            for i in range(1, n_items + 1)
        ))  # fmt: skip
        today = now.date()
        scope_dept: list[int] = [0]
        item_scope: dict[int, list[tuple[str, int]]] = {}

        def scope_rows() -> Iterable[tuple]:
            sid = 0
            for i in range(1, n_items + 1):
                d = item_dept[i] if rng.random() < 0.9 else dept_pick()
                scope_dept.append(d)
                entries = [("d", d)] + [
                    ("u", rng.randint(1, n_users)) for _ in range(rng.choice((0, 1, 1, 2, 3)))
                ]
                item_scope[i] = entries
                for who, ref in entries:
                    sid += 1
                    r = rng.random()
                    starts, ends = r"\N", r"\N"
                    if r < 0.10:
                        ends = (today - timedelta(days=rng.randint(1, 900))).isoformat()
                    elif r < 0.15:
                        starts = (today + timedelta(days=rng.randint(1, 90))).isoformat()
                    yield (str(sid), str(i), str(ref) if who == "u" else r"\N", str(ref) if who == "d" else r"\N",
                           starts, ends, now.isoformat())  # fmt: skip

        n_scopes = copy_rows(cur, ItemScope, ["id", "item_id", "user_id", "department_id", "starts_on", "ends_on",
                                              "granted_at"], scope_rows())  # fmt: skip

        # Carriers: ~5 per item, mostly held in the scoped department, registered in id order.
        kind = _picker(rng, [((k, letter), w) for k, letter, w in KINDS])
        status = _picker(rng, STATUSES)
        span = (now - start).total_seconds()
        seq: dict[tuple[int, str], int] = {}
        copies: dict[int, int] = {}

        def carrier_rows() -> Iterable[tuple]:
            for c in range(1, n_carriers + 1):
                i = rng.randint(1, n_items)
                holder = rng.choice(members[scope_dept[i]]) if rng.random() < 0.7 else rng.randint(1, n_users)
                dept = dept_of_user[holder - 1] if rng.random() < 0.95 else dept_pick()
                at = start + timedelta(seconds=span * c / n_carriers + rng.random() * 30)
                k, letter = kind()
                key = (at.year, k)
                seq[key] = seq.get(key, 0) + 1
                copies[i] = copies.get(i, 0) + 1
                title = item_title[i] if rng.random() < 0.8 else item_title[i] + f"（第{copies[i]}份）"
                number, copy_number = f"BM-{at.year}-{letter}-{seq[key]:07d}", f"{copies[i]:03d}"
                # Bound like registered carriers (R-CRYPTO-5), or the ledger leaves them out.
                mac = carrier_integrity.compute_mac(SimpleNamespace(
                    registry_number=number, level=item_level[i], item_id=i, copy_number=copy_number, kind=k))  # fmt: skip
                yield (str(c), number, str(at.year), k, str(seq[key]),
                       copy_number, str(i), item_level[i], title, status(), str(holder), str(dept),
                       rng.choice(PLACES), str(rng.randint(1, 120)), at.date().isoformat(), str(officers[0]),
                       at.isoformat(), mac)  # fmt: skip

        copy_rows(cur, Carrier, ["id", "registry_number", "year", "kind", "sequence", "copy_number", "item_id",
                                 "level", "title", "status", "custodian_id", "department_id", "storage_place",
                                 "pages", "made_on", "registered_by_id", "registered_at", "mark_mac"],
                  carrier_rows())  # fmt: skip

        # Items bound like determined items (R-CRYPTO-5): the MAC of their mark and scope, or the
        # policy reads every item — and every carrier of it — as tampered.
        def item_macs() -> Iterable[str]:
            for i in range(1, n_items + 1):
                item = Item(pk=i, level=item_level[i], status="determined", duration_kind="period",
                            duration_value=10, duration_unit="year")  # fmt: skip
                users = [ref for who, ref in item_scope[i] if who == "u"]
                depts = [ref for who, ref in item_scope[i] if who == "d"]
                scope = f"{item_level[i]}|{marks.scope_digest(users, depts)}"
                yield f"{i}\t{marks.mark_mac(MARK_TARGET, i, item_mark(item), scope=scope)}\n"

        cur.execute("CREATE TEMP TABLE bench_item_mac (id integer PRIMARY KEY, mac text)")
        with cur.copy("COPY bench_item_mac (id, mac) FROM STDIN") as copy:
            for line in item_macs():
                copy.write(line)
        # Table names come from the models, not from input.
        bind = f"UPDATE {Item._meta.db_table} i SET mark_mac = m.mac FROM bench_item_mac m WHERE i.id = m.id"  # noqa: S608
        cur.execute(bind)
        cur.execute("DROP TABLE bench_item_mac")
        copy_rows(cur, RegistrySequence, ["id", "year", "kind", "last"],
                  ((str(n), str(y), k, str(last)) for n, ((y, k), last) in enumerate(sorted(seq.items()), 1)))  # fmt: skip
        carrier_table = Carrier._meta.db_table
        # Table names come from the models, not from input.
        fill = (f"INSERT INTO {count_table} (department_id, level, status, n) SELECT department_id, level, "  # noqa: S608
                f"status, COUNT(*) FROM {carrier_table} GROUP BY department_id, level, status")  # fmt: skip
        cur.execute(fill)
        fill = (f"INSERT INTO {days_table} (day, level, n) SELECT (registered_at AT TIME ZONE 'UTC')::date, "  # noqa: S608
                f"level, COUNT(*) FROM {carrier_table} GROUP BY 1, 2")  # fmt: skip
        cur.execute(fill)
        for trigger in ("carriers_count_insert_delete", "carriers_registered_insert_delete"):
            cur.execute(f"ALTER TABLE {carrier_table} ENABLE TRIGGER {trigger}")
        t_load = time.perf_counter() - t0
        for sql in recreate:
            cur.execute(sql)
        for table in tables:
            # Table names come from the models, not from input.
            sql = f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT coalesce(max(id), 1) FROM {table}))"  # noqa: S608
            cur.execute(sql)
            cur.execute(f"VACUUM ANALYZE {table}")
        t_total = time.perf_counter() - t0
    conn.commit()
    largest = 1
    small = next(d for d in range(n_depts, 0, -1) if 5 <= sizes[d - 1] <= 15) if n_depts > 1 else 1
    return {
        "carriers": n_carriers, "items": n_items, "users": n_users, "departments": n_depts, "scopes": n_scopes,
        "load_seconds": round(t_load, 1), "with_indexes_seconds": round(t_total, 1),
        "largest_department": largest, "largest_department_size": sizes[0], "small_department": small,
        "officer": officers[0], "head_of_largest": heads[largest],
    }  # fmt: skip
