"""The records ledger: the curated records in a database (SQLite by default, PostgreSQL by URL),
imported from and exported to the package's TOML files, with an append-only audit log."""
