"""Reference for the SALIC import: read every CSV of a folder with pandas.read_csv, nothing else.

python -m benchmarks.read_csv_reference FOLDER   → {"files": …, "rows": …}
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd

if __name__ == "__main__":
    folder = Path(sys.argv[1])
    rows = {
        path.name: len(pd.read_csv(path, dtype=str, keep_default_na=False)) for path in sorted(folder.glob("*.csv"))
    }
    print(json.dumps({"files": len(rows), "rows": sum(rows.values())}))
