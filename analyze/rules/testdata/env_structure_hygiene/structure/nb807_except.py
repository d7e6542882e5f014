# %%
import json
import logging

logger = logging.getLogger(__name__)
rows = []
for line in ["{}", "x"]:
    try:
        rows.append(json.loads(line))
    except:  # want NB807[warning]
        pass

for line in ["{}", "x"]:
    try:
        rows.append(json.loads(line))
    except Exception as e:  # want NB807[warning]
        print("bad line", e)
        continue

try:
    rows.append(json.loads("x"))
except (ValueError, Exception):  # want NB807[warning]
    ...

try:
    rows.append(json.loads("x"))
except json.JSONDecodeError:  # want NB807[info]
    pass

try:
    rows.append(json.loads("x"))
except Exception:
    logger.warning("bad line", exc_info=True)
    raise
print(rows)
