from silkmap.app import main

raise SystemExit(main())
