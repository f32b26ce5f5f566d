"""The one error type every stage raises for bad input, so the CLI can print one line and exit 2."""


class CredwatchError(Exception):
    """Bad input or environment: the message names the file/row/URL and what is wrong."""

    exit_code = 2
