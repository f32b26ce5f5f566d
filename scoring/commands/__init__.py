"""One module per scoring subcommand, loaded lazily by `credwatch.cli`."""
