"""The renderers: one package per report, one module per output format (formats.py
says the signature they share), and the helpers they share, each written once
(console.py, text.py, numbers.py, spreadsheet.py, templates.py, fit.py, study.py,
printing.py). Nothing here is imported at start-up but the format enums."""
