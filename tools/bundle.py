"""Build the offline installation bundle (``make bundle``, docs/operations.md "Offline bundle").

One archive, ``dist/baomi-<version>-offline.tar.gz``, holding::

    baomi-<version>/
      install.sh            creates (or updates) a virtual environment with pip --no-index
      requirements.lock     the pinned dependencies with their sha256 hashes
      wheelhouse/           baomi's wheel (compiled messages, every template and static file)
                            and a wheel of every locked dependency, for each target Python
      deploy/               systemd units, nginx site, PostgreSQL set-up (the repository's deploy/)
      operations.md         the procedure

The dependency wheels come from ``requirements.lock`` (``make lock``, uv), downloaded with
``pip download --require-hashes`` for each target Python (3.11, 3.12, 3.13 by default: Debian 12
and 13) and Linux/glibc platform; only binary wheels, so the target machine needs no compiler.
They are cached under ``var/wheelhouse/<key>`` (``BAOMI_WHEELHOUSE_CACHE`` overrides), where the
key is the lock file's hash and the targets: a second bundle of the same lock downloads nothing.

baomi's own wheel is built with pip's build isolation against the wheelhouse (``--no-index``), so
the build backend is the locked one too; ``setup.py`` compiles the ``.mo`` files into it. The
build refuses a wheel that lacks a compiled catalogue for any ``.po`` file or any static file.

Usage: ``python tools/bundle.py [--out DIR] [--pythons 3.11,3.13] [--arch x86_64] [--glibc 2.36]``.
Tested by ``tests/test_bundle.py`` (build, install with the network blocked for pip, migrate,
serve the Chinese login page).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

from packaging.markers import Marker

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
DEFAULT_PYTHONS = ("3.11", "3.12", "3.13")


@dataclass(frozen=True)
class Pin:
    name: str
    version: str
    marker: str
    hashes: tuple[str, ...]

    def applies(self, python: str, arch: str) -> bool:
        """Whether this pin is needed on CPython ``python`` on Linux ``arch``."""
        if not self.marker:
            return True
        env = {
            "python_version": python,
            "python_full_version": python + ".0",
            "implementation_name": "cpython",
            "platform_python_implementation": "CPython",
            "sys_platform": "linux",
            "platform_system": "Linux",
            "os_name": "posix",
            "platform_machine": arch,
        }
        return Marker(self.marker).evaluate(env)

    def requirement(self) -> str:
        return f"{self.name}=={self.version} " + " ".join(f"--hash={h}" for h in self.hashes)


def read_lock(path: Path = LOCK) -> list[Pin]:
    """The pins of a uv/pip-tools lock file (``name==version ; marker`` and ``--hash`` lines)."""
    pins: list[Pin] = []
    text = path.read_text(encoding="utf-8").replace("\\\n", " ")
    for line in text.splitlines():
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        m = re.match(r"([A-Za-z0-9._-]+)==([^\s;]+)\s*(?:;\s*(.*?))?\s*((?:--hash=\S+\s*)*)$", line)
        if not m:
            raise SystemExit(f"{path.name}: cannot read the line {line!r}")
        hashes = tuple(re.findall(r"--hash=(\S+)", m.group(4)))
        if not hashes:
            raise SystemExit(f"{path.name}: {m.group(1)} has no hash (make lock writes them)")
        pins.append(Pin(m.group(1).lower(), m.group(2), (m.group(3) or "").strip(), hashes))
    return pins


def platforms(arch: str, glibc: str) -> list[str]:
    """Every manylinux tag a machine with ``glibc`` (e.g. 2.36: Debian 12) accepts."""
    top = int(glibc.split(".")[1])
    tags = [f"manylinux_2_{minor}_{arch}" for minor in range(top, 16, -1)]
    legacy = {"x86_64": ["manylinux2014", "manylinux2010", "manylinux1"], "aarch64": ["manylinux2014"]}
    return tags + [f"{name}_{arch}" for name in legacy.get(arch, [])]


def cache_key(lock_text: str, pythons: list[str], arch: str, glibc: str) -> str:
    h = hashlib.sha256(lock_text.encode())
    h.update(f"|{','.join(pythons)}|{arch}|{glibc}".encode())
    return h.hexdigest()[:16]


def pip(*args: str, env: dict[str, str] | None = None) -> None:
    subprocess.run([sys.executable, "-m", "pip", *args], check=True, env=env)


def wheelhouse(pins: list[Pin], pythons: list[str], arch: str, glibc: str, cache: Path) -> Path:
    """Download (or reuse) the wheels of every pin for every target; return the directory."""
    key = cache_key(LOCK.read_text(encoding="utf-8"), pythons, arch, glibc)
    target = cache / key
    if (target / ".complete").exists():
        print(f"wheelhouse: {target} (cached)")
        return target
    partial = cache / f"{key}.partial"
    partial.mkdir(parents=True, exist_ok=True)
    tags = [a for p in platforms(arch, glibc) for a in ("--platform", p)]
    for python in pythons:
        needed = [pin for pin in pins if pin.applies(python, arch)]
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as req:
            req.write("\n".join(pin.requirement() for pin in needed) + "\n")
        abi = "cp" + python.replace(".", "")
        try:
            pip("download", "--quiet", "--require-hashes", "--no-deps", "--only-binary=:all:",
                "--implementation", "cp", "--python-version", python,
                "--abi", abi, "--abi", "abi3", "--abi", "none", *tags,
                "--dest", str(partial), "-r", req.name)  # fmt: skip
        finally:
            os.unlink(req.name)
    if target.exists():
        shutil.rmtree(target)
    partial.rename(target)
    (target / ".complete").write_text("\n".join(pythons) + "\n")
    print(f"wheelhouse: {target}")
    return target


def static_files() -> set[str]:
    """Paths (inside the package) of every template, static file and catalogue in the tree."""
    base = ROOT / "src" / "baomi"
    wanted = set()
    for path in base.rglob("*"):
        rel = path.relative_to(base.parent).as_posix()
        if path.is_file() and re.search(r"/(static|templates)/", rel):
            wanted.add(rel)
        if path.suffix == ".po":
            wanted.add(rel[:-3] + ".mo")
    return wanted


def build_wheel(deps: Path, out: Path) -> Path:
    """baomi's wheel, built against the locked build backend from the wheelhouse."""
    shutil.rmtree(ROOT / "build", ignore_errors=True)  # stale build/lib files would ship
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_NO_INDEX="1", PIP_FIND_LINKS=str(deps))
    pip("wheel", "--quiet", "--no-deps", "--no-index", "--find-links", str(deps), "--wheel-dir", str(out),
        str(ROOT), env=env)  # fmt: skip
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    (wheel,) = out.glob("baomi-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        missing = sorted(static_files() - set(zf.namelist()))
    if missing:
        raise SystemExit(f"the wheel lacks {len(missing)} files, e.g. {missing[:5]}")
    return wheel


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="build the offline installation bundle")
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument("--pythons", default=",".join(DEFAULT_PYTHONS), help="target Python versions")
    parser.add_argument("--arch", default="x86_64")
    parser.add_argument("--glibc", default="2.36", help="oldest glibc of the targets (Debian 12: 2.36)")
    default_cache = os.environ.get("BAOMI_WHEELHOUSE_CACHE") or str(ROOT / "var" / "wheelhouse")
    parser.add_argument("--cache", type=Path, default=Path(default_cache))
    ns = parser.parse_args(argv)
    pythons = [p.strip() for p in ns.pythons.split(",") if p.strip()]
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    name = f"baomi-{version}"

    deps = wheelhouse(read_lock(), pythons, ns.arch, ns.glibc, ns.cache)
    with tempfile.TemporaryDirectory(prefix="baomi-bundle-") as tmp:
        stage = Path(tmp) / name
        (stage / "wheelhouse").mkdir(parents=True)
        wheel = build_wheel(deps, stage / "wheelhouse")
        shutil.copy2(LOCK, stage / "requirements.lock")
        shutil.copytree(ROOT / "deploy", stage / "deploy")
        shutil.copy2(ROOT / "deploy" / "install.sh", stage / "install.sh")
        shutil.copy2(ROOT / "docs" / "operations.md", stage / "operations.md")
        (stage / "TARGETS").write_text(
            f"python {' '.join(pythons)}\nlinux {ns.arch} glibc>={ns.glibc}\nwheel {wheel.name}\n"
        )
        ns.out.mkdir(parents=True, exist_ok=True)
        archive = ns.out / f"{name}-offline.tar.gz"
        tmp_archive = archive.with_suffix(".tmp")
        # Wheels are zip files already: the fastest gzip level loses almost nothing.
        with tarfile.open(tmp_archive, "w:gz", compresslevel=1) as tar:
            tar.add(stage, arcname=name)
            for whl in sorted(deps.glob("*.whl")):
                tar.add(whl, arcname=f"{name}/wheelhouse/{whl.name}")
        tmp_archive.replace(archive)
    size = archive.stat().st_size / 1e6
    print(f"bundle: {archive} ({size:.1f} MB; Python {', '.join(pythons)}; {ns.arch})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
