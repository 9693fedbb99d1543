from gaigen.cli import run

run()
