"""Write a data file just over gaigen's 2 MB cap (not committed: it is generated here)."""

from pathlib import Path

head = Path("base.yaml").read_bytes()
filler = b"# " + "填充".encode() * 40 + b"\n"
body = head + filler * ((2 * 1024 * 1024 - len(head)) // len(filler) + 2)
assert len(body) > 2 * 1024 * 1024
Path("big.yaml").write_bytes(body)
Path("base.yaml").unlink()
