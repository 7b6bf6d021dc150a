"""Files: the one way to write them (atomic replacement, exclusive creation, folder locks), bounded reading of
packages, and spreadsheets (.csv/.xlsx) read as rows and written as workbooks."""
