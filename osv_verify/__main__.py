from osv_verify.cli import main

raise SystemExit(main())
