"""The data: the model in the Regulation's own words, the safe YAML reader, the JSON Schemas, and the pure parse
functions from validated plain data to the model. Nothing here knows about the data tree's folders."""
