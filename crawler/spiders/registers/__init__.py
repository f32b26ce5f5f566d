"""Register-source spiders: they read a register's website into register entries, which
`credwatch crawl --register NAME --to DIR` writes to a JSON lines file for `registers load`.
They are never listed in a providers file (a register is not a provider)."""
