# fs_firstread.py: a Python target for forkserver serve --first-read:
# imports, then json.load(sys.stdin); prints what it read, doubled (or,
# asked for "frozen", whether the collector's objects were frozen before
# the read), and exits with its "code".
import decimal
import email.parser
import gc
import json
import sys

d = json.load(sys.stdin)
if "frozen" in d:
    print(json.dumps({"frozen": gc.get_freeze_count() > 0}))
else:
    print(json.dumps({"n": d["n"] * 2}))
sys.exit(d.get("code", 0))
