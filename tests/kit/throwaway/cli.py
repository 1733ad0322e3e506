import argparse
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser("throwaway", help="a command of the throwaway app")
    p.set_defaults(func=cmd)


def cmd(ns: argparse.Namespace) -> int:
    print("throwaway ran")
    return 0
