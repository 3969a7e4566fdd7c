"""The coach served in a browser: textual-serve's web server behind an access check, one app
process per browser tab, and one grading model for all of them (a local grading service)."""
