"""Importing office spreadsheets: the reader (`parsing`, `legacy`) and the importer contract (`base`).

Pure Python: no models. The job, its pages and its background runs are in `bdtx.imports`.
"""
