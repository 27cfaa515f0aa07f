"""Visits (住院就诊) and their fee lines: the domain behind 2401/2402/2404/2405/2301/2302."""
