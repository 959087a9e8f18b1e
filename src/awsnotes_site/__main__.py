from awsnotes_site.cli import main

raise SystemExit(main())
