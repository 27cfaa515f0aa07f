"""Storage infrastructure: declarative base, engine and sessions, embedded server, migrations."""
