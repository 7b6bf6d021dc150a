"""The data tree on disk: read every file (read), check it across files (check), load it whole or fail (load),
and create a new resolution in it under the registry's rules (assign)."""

from pathlib import Path

# Where the data files stand in a tree (here, so that a module may name them without importing the reader).
REGULATION_FILE = Path("regulation/regulation.yaml")
VERSIONS_DIR = Path("regulation/versions")
ORGANISATIONS_FILE = Path("organisations/organisations.yaml")
RESOLUTIONS_DIR = Path("resolutions")
REGISTRY_FILE = RESOLUTIONS_DIR / "registry.yaml"
