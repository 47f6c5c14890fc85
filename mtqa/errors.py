"""User-facing errors: one clear line, exit code 2."""


class MtqaError(Exception):
    """An input or usage problem the user can mend; the CLI prints it on one line and exits 2."""

    exit_code = 2
