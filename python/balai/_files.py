"""Files the package writes whole: atomically, so a reader or a crash sees the old file or
the whole new one, never a part."""

from __future__ import annotations

import os
import uuid
from pathlib import Path


def write_atomically(path: Path, data: bytes) -> None:
    """Writes `data` to a temporary file beside `path`, syncs it and renames it over
    `path`; a failure leaves no temporary file behind."""
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    # os.open with a mode (not mkstemp's 0600) so the file gets the usual permissions.
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
