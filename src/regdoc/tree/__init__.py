"""The data tree on disk: read every file (read), check it across files (check), load it whole or fail (load),
and create a new resolution in it under the registry's rules (assign)."""
