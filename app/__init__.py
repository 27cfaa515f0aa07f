"""onestop: one-stop settlement of hospital inpatient bills."""

__version__ = "0.1.0"
