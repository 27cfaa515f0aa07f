"""The poverty roster exchange (notice 六(二)): imports from the poverty office, civil affairs and
the medical-insurance agency become sourced category periods on the person registry."""
