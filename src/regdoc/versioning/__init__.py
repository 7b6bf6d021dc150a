"""Versioning of the Regulation: amendments applied to editions (amend), the notes of the consolidated text
(notes), the amending text of a resolution's item (amending), and comparisons of editions and criteria (diff)."""
