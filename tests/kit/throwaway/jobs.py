from datetime import datetime, timedelta

from baomi.kit.jobs import job


@job("throwaway.tick", every=timedelta(hours=1))
def tick(now: datetime) -> dict[str, int]:
    return {"ticked": 1}
