"""Display formats of the UI (FORMAT_MODULE_PATH); see ``zh_Hans/formats.py``."""
