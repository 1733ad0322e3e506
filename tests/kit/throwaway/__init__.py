"""A throwaway app that exists only to prove the app registry finds an app from its folder
plus one ``INSTALLED_APPS`` line (``settings.py`` here; tests/kit/test_registry.py)."""
