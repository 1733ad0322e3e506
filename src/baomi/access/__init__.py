"""The one place that decides who may do what (ARCHITECTURE "Three rules" 1, STYLE 2.3)."""
