from resilint.cli import run

run()
