# fs_firstread.py: a Python target for forkserver serve --first-read:
# imports, then json.load(sys.stdin); prints what it read, doubled, and
# exits with its "code".
import decimal
import email.parser
import json
import sys

d = json.load(sys.stdin)
print(json.dumps({"n": d["n"] * 2}))
sys.exit(d.get("code", 0))
