"""The audit log as the committee reads it (entries are written by services.context.audit)."""

from __future__ import annotations

import pandas as pd

from habitat.db import audit as audit_db
from habitat.services.context import Ctx


def recent_audit(ctx: Ctx, limit: int = 200) -> pd.DataFrame:
    ctx.require("see_audit")
    return audit_db.recent(ctx.con, limit=max(1, min(int(limit), 1000)))
