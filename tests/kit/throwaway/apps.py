from baomi.kit import registry


class ThrowawayConfig(registry.BaomiAppConfig):
    name = "tests.kit.throwaway"
    label = "throwaway"
    verbose_name = "throwaway"
    parts = ("urls", "api", "cli", "nav", "dashboard", "jobs", "demo", "rules", "events")
    demo_after = ("carriers",)
    event_block = range(9900, 9910)
