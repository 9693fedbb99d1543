"""The official format as data: editions, table labels, printed grids and the data file's key tree.

The lowest layer: it imports nothing else of gaigen (format-spec §4).
"""
