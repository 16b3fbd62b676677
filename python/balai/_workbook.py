"""Tables as one Excel workbook, for planners who open the outputs in a spreadsheet.

The bytes depend on the tables alone, as the report's do: openpyxl stamps the workbook's
properties and each zip member with the time of writing, so both are rewritten with a
fixed time, and the same plan gives the same file.
"""

from __future__ import annotations

import io
import re
import zipfile

import pandas as pd

__all__ = ["workbook_bytes"]

# The earliest time a zip member can carry, and the same instant for the properties.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_STAMP = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")
_FIXED_STAMP = rb"\g<1>1980-01-01T00:00:00Z\g<3>"


def workbook_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """An .xlsx holding each frame on the sheet of its name (at most 31 characters, Excel's
    limit), in order, with a header row and no index column."""
    written = io.BytesIO()
    with pd.ExcelWriter(written, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)
    return _without_times(written.getvalue())


def _without_times(data: bytes) -> bytes:
    fixed = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            content = source.read(member)
            if member.filename == "docProps/core.xml":
                content = _STAMP.sub(_FIXED_STAMP, content)
            target.writestr(
                zipfile.ZipInfo(member.filename, _ZIP_TIME), content, zipfile.ZIP_DEFLATED
            )
    return fixed.getvalue()
