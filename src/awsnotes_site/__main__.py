from awsnotes_site.cli import run

run()
