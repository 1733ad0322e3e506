"""baomi (保密): confidentiality management for Chinese administrative offices."""

__version__ = "0.1.0"
