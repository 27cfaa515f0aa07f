"""What-if (issue 16): replay a period's standing settlements under a draft policy, off the
request path, and compare with what was paid (docs/what-if.md)."""
