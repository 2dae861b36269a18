"""Load Meridian's demo alliance through a running gateway (idempotent).

    python deploy/demo/seed.py --gateway http://127.0.0.1:8080

The loader lives in the installed package (meridian_ops.demo), so containers run the
same code as `meridian demo seed`; this script keeps the path `make up` has always used.
"""

import sys

from meridian_ops.cli import main

if __name__ == "__main__":
    sys.exit(main(["demo", "seed", *sys.argv[1:]]))
