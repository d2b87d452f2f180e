from habitat.cli import main

main(prog_name="python -m habitat")
