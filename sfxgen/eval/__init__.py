"""Reproducible evaluation commands (``sfxgen eval ...``); never imported by serving code."""


def report_out(report, json_path: str | None) -> None:
    """Print a report's readable form and, when asked, write its JSON atomically."""
    import json

    from sfxgen.export import write_text_atomic

    print(report.format())
    if json_path:
        write_text_atomic(json_path, json.dumps(report.to_dict(), indent=2) + "\n")
