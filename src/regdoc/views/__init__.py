"""Views for people reading a terminal or a browser: tables for the terminal and Markdown (tables), text,
Markdown and JSON views of editions and diffs (text), and the HTML diff report (html)."""
