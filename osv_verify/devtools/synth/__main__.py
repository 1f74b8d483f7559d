"""``python -m osv_verify.devtools.synth``: see ``main``."""

from osv_verify.devtools.synth import main

raise SystemExit(main())
