"""File formats in and out, as plain Python data.

Nothing here persists anything or knows who will: readers turn files into rows of strings
(refusing hostile files safely), layouts turn rows into typed values (and back), writers turn
rows into CSV, XLSX or JSON. The owning app's services persist (see ``registry.imports``).
"""
