"""Reports of past sessions in Markdown, HTML, JSON and CSV; headless (imports no Textual)."""

from assistant.reports.as_json import ReportFormatError, details_from_json
from assistant.reports.export import (
    FORMAT_NAMES,
    FORMATS,
    ReportFormat,
    export_command,
    is_report_format,
    render_report,
    report_file_name,
    reports_dir,
    write_report,
)

__all__ = [
    "FORMATS",
    "FORMAT_NAMES",
    "ReportFormat",
    "ReportFormatError",
    "details_from_json",
    "export_command",
    "is_report_format",
    "render_report",
    "report_file_name",
    "reports_dir",
    "write_report",
]
