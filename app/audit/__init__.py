"""Append-only, hash-chained audit trail of every state change."""
