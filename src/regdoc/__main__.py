from regdoc.cli import main

raise SystemExit(main())
