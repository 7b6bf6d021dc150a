import sys

try:
    from regdoc.cli import command_line
except KeyboardInterrupt:  # Ctrl-C while regdoc is still starting: nothing was done, end as interrupted
    sys.exit(130)

raise SystemExit(command_line())
