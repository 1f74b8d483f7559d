"""osv-verify: independently verify published Dutch election results."""

__version__ = "0.1.0"
