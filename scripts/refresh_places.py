"""Refresh the vendored list of Indonesia's regencies and kecamatan (districts).

The list comes from the npm package ``idn-area-data`` (data under the Open Database License).
Only its regencies and districts CSV files are kept, gzipped, in bot/intents/data/places/,
with the licence text and an attribution naming the version. Run from the repository root:

    python scripts/refresh_places.py            # the latest published version
    python scripts/refresh_places.py 4.0.1      # a given version

It needs ``npm`` (only ``npm pack``: nothing is installed) and network access to the npm registry.
"""

from __future__ import annotations

import csv
import gzip
import io
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "idn-area-data"
TARGET = Path(__file__).resolve().parent.parent / "bot" / "intents" / "data" / "places"
KEPT = {
    "regencies.csv": ("code", "province_code", "name"),
    "districts.csv": ("code", "regency_code", "name"),
}

ATTRIBUTION = """# Attribution

`regencies.csv.gz` and `districts.csv.gz` are the files `data/regencies.csv` and
`data/districts.csv` of the npm package [{package}](https://www.npmjs.com/package/{package})
version {version} (<https://github.com/fityannugroho/idn-area-data>), by Fityan and contributors,
based on official data of the Government of Indonesia. They are unchanged apart from gzip.

This data is made available under the Open Database License (ODbL) v1.0:
<http://opendatacommons.org/licenses/odbl/1.0/> (full text in `LICENSE.md`). Any rights in
individual contents of the database are licensed under the Database Contents License:
<http://opendatacommons.org/licenses/dbcl/1.0/>.

E-Klinik uses the data to check the kecamatan people name when they register. If you share a
changed copy of these files, share it under the ODbL too and keep this notice.

Refresh with `python scripts/refresh_places.py [version]`.
"""


def fetch(version: str | None, workdir: Path) -> tuple[Path, str]:
    """Download the package tarball with `npm pack`; its path and version."""
    spec = f"{PACKAGE}@{version}" if version else f"{PACKAGE}@latest"
    done = subprocess.run(
        ["npm", "pack", spec, "--silent"], cwd=workdir, check=True, capture_output=True, text=True
    )
    tarball = workdir / done.stdout.strip().splitlines()[-1]
    found = tarball.name.removeprefix(f"{PACKAGE}-").removesuffix(".tgz")
    return tarball, found


def check_columns(name: str, data: bytes) -> None:
    """Refuse a file whose header changed: the loader reads these columns."""
    header = next(csv.reader(io.StringIO(data.decode("utf-8"))))
    if tuple(header) != KEPT[name]:
        raise SystemExit(f"{name}: expected columns {KEPT[name]}, found {tuple(header)}")


def write_gzip(path: Path, data: bytes) -> None:
    """Gzip without a timestamp or file name, so the same data gives the same bytes."""
    with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as out:
        out.write(data)


def main(argv: list[str]) -> int:
    version = argv[1] if len(argv) > 1 else None
    with tempfile.TemporaryDirectory() as tmp:
        tarball, found = fetch(version, Path(tmp))
        with tarfile.open(tarball) as archive:
            files = {
                name: archive.extractfile(f"package/data/{name}") for name in (*KEPT, "LICENSE.md")
            }
            contents = {name: handle.read() for name, handle in files.items() if handle}
    TARGET.mkdir(parents=True, exist_ok=True)
    for name in KEPT:
        check_columns(name, contents[name])
        write_gzip(TARGET / f"{name}.gz", contents[name])
    (TARGET / "LICENSE.md").write_bytes(contents["LICENSE.md"])
    (TARGET / "ATTRIBUTION.md").write_text(
        ATTRIBUTION.format(package=PACKAGE, version=found), encoding="utf-8"
    )
    print(f"{PACKAGE} {found}: regencies and districts written to {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
