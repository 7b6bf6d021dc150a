"""The registry of resolutions: numbering rules and skeletons of new resolutions (numbering), and the register
of a year's resolutions (register)."""
