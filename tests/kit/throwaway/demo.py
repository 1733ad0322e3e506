LOADED: list[str] = []
ACCOUNTS = [("throwaway", "a demo account of the throwaway app")]


def load() -> None:
    LOADED.append("throwaway")
