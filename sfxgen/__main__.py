from sfxgen.cli import run

run()
