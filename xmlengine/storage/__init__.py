"""Storage: SQL tables, the account scope every query goes through, migrations."""
