"""Screening benchmark (SUP-3, docs/publication.md): a 100,000-character document against a
200,000-item registry, with the matcher of ``baomi.publication.screening`` and, in the same run,
the naive loop of substring tests over the same strings.

    .venv/bin/python bench/screen/run.py
    BAOMI_BENCH_ITEMS=20000 BAOMI_BENCH_CHARS=100000 .venv/bin/python bench/screen/run.py

The registry is generated in memory with bench/ledger's vocabulary (titles from its prefixes,
departments, topics and document types, made distinct by a serial; 1-3 密点 per item; a
document number per item) and five carriers per item numbered as the carriers app numbers them
(``2026-纸-000123``). What is timed:

* build — adding every title, 密点 and document number to the matcher and building the
  automaton (what a process does once, docs/publication.md "The matcher");
* scan — ``screening.scan`` of the document (NFKC, compact form and offsets, the automaton, the
  shape expressions for marks, numbers and personal information) plus the lookup of the
  registry numbers found in a set standing for the unique index: the median of
  BAOMI_BENCH_REPEAT runs;
* naive — for each of the same strings (titles, 密点, document numbers and the 1,000,000 registry
  numbers) ``s in text`` over the document's compact form, once.

It checks that both find the same strings (the ones planted in the document) and reports the
matcher's memory: the automaton's own size (pyahocorasick's ``total_size``) and the growth of
the process's resident set while building it. The last line is one JSON object.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "ledger"))
sys.path.insert(0, str(HERE.parent.parent / "src"))
_tmp = tempfile.mkdtemp(prefix="baomi-bench-screen-")
os.environ.setdefault("BAOMI_DATA_DIR", os.path.join(_tmp, "data"))
os.environ.setdefault("BAOMI_KEY_DIR", os.path.join(_tmp, "keys"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baomi.settings")

N_ITEMS = int(os.environ.get("BAOMI_BENCH_ITEMS", "200000"))
N_CHARS = int(os.environ.get("BAOMI_BENCH_CHARS", "100000"))
REPEAT = int(os.environ.get("BAOMI_BENCH_REPEAT", "20"))
CARRIERS_PER_ITEM = 5
GOAL_SCAN_MS = 100
GOAL_SPEEDUP = 100
POINT_WORDS = ["具体数额", "人员名单", "部署位置", "技术参数", "实施时间", "谈判底线", "评估结论", "选址方案",
               "资金来源", "联络方式", "行动路线", "供货渠道"]  # fmt: skip
KIND_LETTERS = ["纸", "电", "介", "设", "品"]


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def registry(rng: random.Random) -> tuple[list[tuple[str, str, int, str]], list[str]]:
    """``(pattern, kind, item id, level)`` for every title, 密点 and document number, and every
    registry number."""
    from generate import DEPT_WORDS, DOCTYPES, PREFIXES, TOPICS

    levels = ["work_secret", "confidential", "confidential", "secret", "top_secret"]
    terms: list[tuple[str, str, int, str]] = []
    for i in range(1, N_ITEMS + 1):
        level = rng.choice(levels)
        dept = rng.choice(DEPT_WORDS)
        topic = rng.choice(TOPICS)
        terms.append(
            (f"{rng.choice(PREFIXES)}{dept}{topic}{rng.choice(DOCTYPES)}（第{i}号）", "title", i, level)
        )
        for _ in range(rng.randint(1, 3)):
            terms.append(
                (f"{topic}{rng.choice(POINT_WORDS)}{rng.randint(1, 99999)}", "secret_point", i, level)
            )
        terms.append((f"{dept[:2]}〔{rng.randint(2019, 2026)}〕{i}号", "document_number", i, level))
    numbers = []
    per_series: dict[tuple[int, str], int] = {}
    for _ in range(N_ITEMS * CARRIERS_PER_ITEM):
        key = (rng.randint(2022, 2026), rng.choice(KIND_LETTERS))
        per_series[key] = per_series.get(key, 0) + 1
        numbers.append(f"{key[0]}-{key[1]}-{per_series[key]:06d}")
    return terms, numbers


def document(
    rng: random.Random, terms: list[tuple[str, str, int, str]], numbers: list[str]
) -> tuple[str, set[str]]:
    """About N_CHARS of office prose with 20 titles, 10 密点, 10 document numbers, 10 registry
    numbers, marks and personal information planted in it."""
    from generate import DOCTYPES, TOPICS

    planted = [t[0] for t in rng.sample([t for t in terms if t[1] == "title"], 20)]
    planted += [t[0] for t in rng.sample([t for t in terms if t[1] == "secret_point"], 10)]
    planted += [t[0] for t in rng.sample([t for t in terms if t[1] == "document_number"], 10)]
    planted += rng.sample(numbers, 10)
    extras = ["机密★10年", "秘密★6个月", "「内部」", "联系人身份证号11010519491231002X", "手机13812345678"]
    pieces: list[str] = []
    size = 0
    queue = planted + extras
    rng.shuffle(queue)
    every = max(1, (N_CHARS // 40) // (len(queue) + 1))
    n = 0
    while size < N_CHARS:
        sentence = f"本单位{rng.choice(TOPICS)}工作按照{rng.choice(TOPICS)}要求推进，有关{rng.choice(DOCTYPES)}已印发。"
        n += 1
        if queue and n % every == 0:
            sentence += f"详见{queue.pop()}。"
        pieces.append(sentence)
        size += len(sentence)
    return "".join(pieces)[: N_CHARS + 200], set(planted)


def main() -> None:
    import django

    django.setup()
    from baomi.publication import screening

    rng = random.Random(20261206)
    t0 = time.perf_counter()
    terms, numbers = registry(rng)
    number_index = set(numbers)
    text, planted = document(rng, terms, numbers)
    generated_s = time.perf_counter() - t0

    before = rss_mb()
    t0 = time.perf_counter()
    matcher = screening.Matcher(min_chars=4)
    for pattern, kind, ref, level in terms:
        matcher.add(pattern, kind, ref, level)
    added = time.perf_counter()
    matcher.freeze()
    build_s = time.perf_counter() - t0
    make_s = time.perf_counter() - added
    grown = rss_mb() - before
    stats = matcher.stats()

    def screen() -> set[str]:
        prepared, hits = screening.scan(text, [matcher])
        found = {
            prepared.text[h.start : h.end]
            for h in hits
            if h.kind in ("title", "secret_point", "document_number")
        }
        found |= {h.shown for h in hits if h.kind == "registry_number" and h.shown in number_index}
        return found

    found = screen()
    samples = []
    for _ in range(REPEAT):
        t = time.perf_counter()
        screen()
        samples.append((time.perf_counter() - t) * 1000)
    scan_ms = statistics.median(samples)

    compact = screening.prepare(text).compact
    naive_patterns = [screening.normalise(p) for p, *_rest in terms] + numbers
    t = time.perf_counter()
    naive_found = {p for p in naive_patterns if p in compact}
    naive_ms = (time.perf_counter() - t) * 1000

    planted_norm = {screening.normalise(p) for p in planted}
    ok = planted_norm <= {screening.normalise(f) for f in found} and planted_norm <= naive_found
    result = {
        "bench": "screen", "items": N_ITEMS, "terms": stats["terms"], "patterns": stats["patterns"],
        "registry_numbers": len(numbers), "chars": len(text), "generate_s": round(generated_s, 2),
        "build_s": round(build_s, 2), "make_automaton_s": round(make_s, 2), "automaton_mb": round(stats["bytes"] / 1e6, 1),
        "nodes": stats["nodes"], "rss_growth_mb": round(grown, 1), "scan_ms_median": round(scan_ms, 2),
        "scan_ms_max": round(max(samples), 2), "naive_ms": round(naive_ms, 1),
        "speedup": round(naive_ms / scan_ms, 1), "found": len(found), "planted": len(planted), "same_hits": ok,
        "goal_scan_ms": GOAL_SCAN_MS, "goal_speedup": GOAL_SPEEDUP,
        "meets_goal": bool(ok and scan_ms <= GOAL_SCAN_MS and naive_ms / scan_ms >= GOAL_SPEEDUP),
    }  # fmt: skip
    print(f"build {build_s:.2f} s ({stats['terms']} terms, {stats['patterns']} patterns, "
          f"automaton {stats['bytes'] / 1e6:.0f} MB, RSS +{grown:.0f} MB)")  # fmt: skip
    print(f"scan {scan_ms:.1f} ms median of {REPEAT}; naive loop {naive_ms / 1000:.1f} s "
          f"over {len(naive_patterns)} strings; speed-up {naive_ms / scan_ms:.0f}x")  # fmt: skip
    print(json.dumps(result, ensure_ascii=False))
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
