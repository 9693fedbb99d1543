from gaigen.cli.commands import run

run()
