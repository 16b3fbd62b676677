"""Tables as one Excel workbook, for planners who open the outputs in a spreadsheet.

The workbook is written here as SpreadsheetML (ECMA-376) rather than through openpyxl,
which took four of the default run's twelve seconds building a Python object per cell.
Each sheet holds a frame: a bold header row, then one row per record; numbers and booleans
as such, dates and times as Excel serial days with a date format (so a spreadsheet, and
``pd.read_excel``, give them back as dates), text as inline strings, and missing values as
empty cells. The bytes depend on the tables alone: no clock time is written, and every
zip member carries the same fixed time.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import numpy as np
import pandas as pd

__all__ = ["workbook_bytes"]

# The earliest time a zip member can carry.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# Excel's day 0 in its default (1900) date system, for dates after February 1900.
_EPOCH_DATETIME = datetime(1899, 12, 30)
_EPOCH = np.datetime64(_EPOCH_DATETIME, "us")
_MICROSECONDS_PER_DAY = 86_400_000_000

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# Cell styles, by position in styles.xml's cellXfs.
_HEADER_STYLE = 1
_DATE_STYLE = 2
_STYLES = (
    f'{_XML}<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)

# Characters XML 1.0 cannot hold, written as the format's own _xHHHH_ escapes; a literal
# "_x" that would read as one is escaped too (ECMA-376 Part 1, 22.9.2.19).
_UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")


def workbook_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """An .xlsx holding each frame on the sheet of its name (at most 31 characters, Excel's
    limit), in order, with a header row and no index column."""
    names = list(sheets)
    parts = {
        "[Content_Types].xml": _content_types(names),
        "_rels/.rels": _relationships(
            [(f"{_RELATIONSHIPS}/officeDocument", "xl/workbook.xml")], _PACKAGE_RELATIONSHIPS
        ),
        "xl/workbook.xml": _workbook(names),
        "xl/_rels/workbook.xml.rels": _relationships(
            [(f"{_RELATIONSHIPS}/worksheet", f"worksheets/sheet{i}.xml") for i in _numbers(names)]
            + [(f"{_RELATIONSHIPS}/styles", "styles.xml")],
            _PACKAGE_RELATIONSHIPS,
        ),
        "xl/styles.xml": _STYLES,
    }
    for number, frame in zip(_numbers(names), sheets.values(), strict=True):
        parts[f"xl/worksheets/sheet{number}.xml"] = _worksheet(frame)
    written = io.BytesIO()
    with zipfile.ZipFile(written, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(zipfile.ZipInfo(name, _ZIP_TIME), text.encode(), zipfile.ZIP_DEFLATED)
    return written.getvalue()


def _numbers(names: list[str]) -> range:
    return range(1, len(names) + 1)


def _content_types(names: list[str]) -> str:
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    overrides = [
        ("/xl/workbook.xml", f"{kind}.sheet.main+xml"),
        ("/xl/styles.xml", f"{kind}.styles+xml"),
    ]
    overrides += [
        (f"/xl/worksheets/sheet{i}.xml", f"{kind}.worksheet+xml") for i in _numbers(names)
    ]
    return (
        f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        + "".join(
            f'<Override PartName="{part}" ContentType="{type_}"/>' for part, type_ in overrides
        )
        + "</Types>"
    )


def _relationships(targets: list[tuple[str, str]], namespace: str) -> str:
    entries = "".join(
        f'<Relationship Id="rId{i}" Type="{type_}" Target="{target}"/>'
        for i, (type_, target) in enumerate(targets, start=1)
    )
    return f'{_XML}<Relationships xmlns="{namespace}">{entries}</Relationships>'


def _workbook(names: list[str]) -> str:
    sheets = "".join(
        f'<sheet name={quoteattr(_text(name))} sheetId="{i}" r:id="rId{i}"/>'
        for i, name in enumerate(names, start=1)
    )
    return (
        f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}">'
        f"<sheets>{sheets}</sheets></workbook>"
    )


def _worksheet(frame: pd.DataFrame) -> str:
    letters = [_column_letters(i) for i in range(frame.shape[1])]
    header = "".join(
        _string_cell(f"{letter}1", str(name), _HEADER_STYLE)
        for letter, name in zip(letters, frame.columns, strict=True)
    )
    columns = [list(_cells(letters[i], frame.iloc[:, i])) for i in range(frame.shape[1])]
    rows = [f'<row r="1">{header}</row>']
    rows += [
        f'<row r="{number}">{"".join(cells)}</row>'
        for number, cells in enumerate(zip(*columns, strict=True), start=2)
    ]
    return f'{_XML}<worksheet xmlns="{_MAIN}"><sheetData>{"".join(rows)}</sheetData></worksheet>'


def _cells(letter: str, column: pd.Series) -> Iterator[str]:
    """The cells of one column, from row 2 on; an empty string for a missing value."""
    references = (f"{letter}{row}" for row in range(2, len(column) + 2))
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        days = _serial_days(column).tolist()
        return (_date_cell(r, v) for r, v in zip(references, days, strict=True))
    return (_any_cell(r, v) for r, v in zip(references, column.tolist(), strict=True))


def _serial_days(column: pd.Series) -> np.ndarray[Any, Any]:
    if getattr(column.dtype, "tz", None) is not None:
        raise ValueError(f"column {column.name!r}: Excel cannot hold times with a time zone")
    instants = column.to_numpy(dtype="datetime64[us]")
    microseconds = (instants - _EPOCH).astype("timedelta64[us]").astype(np.float64)
    microseconds[np.isnat(instants)] = np.nan
    return microseconds / _MICROSECONDS_PER_DAY


def _date_cell(reference: str, days: float) -> str:
    if math.isnan(days):
        return ""
    return f'<c r="{reference}" s="{_DATE_STYLE}"><v>{days!r}</v></c>'


def _any_cell(reference: str, value: Any) -> str:
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, bool | np.bool_):
        return f'<c r="{reference}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, int | float):
        finite = not isinstance(value, float) or math.isfinite(value)
        return f'<c r="{reference}"><v>{value!r}</v></c>' if finite else ""
    if isinstance(value, datetime | date):
        return _date_cell(reference, _serial_day(value))
    return _string_cell(reference, str(value))


def _serial_day(value: date) -> float:
    """One date or time as _serial_days gives it (microseconds, then days): per value, as
    the dates in a column of objects come, without a Series for each."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            raise ValueError(f"{value}: Excel cannot hold times with a time zone")
        since = value - _EPOCH_DATETIME
    else:
        since = value - _EPOCH_DATETIME.date()
    microseconds = (since.days * 86_400 + since.seconds) * 1_000_000 + since.microseconds
    return microseconds / _MICROSECONDS_PER_DAY


def _string_cell(reference: str, text: str, style: int = 0) -> str:
    styled = f' s="{style}"' if style else ""
    return (
        f'<c r="{reference}"{styled} t="inlineStr"><is><t xml:space="preserve">'
        f"{escape(_text(text))}</t></is></c>"
    )


def _text(text: str) -> str:
    return _UNWRITABLE.sub(lambda found: f"_x{ord(found.group()):04X}_", text)


def _column_letters(index: int) -> str:
    """Excel's name of the 0-based column: A..Z, AA..."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters
