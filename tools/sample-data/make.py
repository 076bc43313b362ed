"""Authoring helper for sample-data/ (not used by the build or the tests).

The demo's files were first written with this script: flags.py lists the flags and the
scenario each follows; the scenario functions below turn them into history lines,
simulating every cell so that each line is one the core operations accept. The JSON
files in sample-data/ are the source of truth and may be edited by hand; rerunning
this script overwrites them. The Swift tests check the feature files against the
replayed history, so hand edits cannot drift unnoticed.

    python3 tools/sample-data/make.py sample-data
"""
import json, os, random, sys
random.seed(7)
OUT = sys.argv[1]
ENVS = [  # (account, name, protected, order)
  ("sandbox","dev",False,1),("sandbox","qa",False,2),("sandbox","staging",False,3),
  ("platform-prod","canary",True,4),("platform-prod","prod",True,5),
  ("payments-prod","canary",True,6),("payments-prod","prod-eu",True,7),("payments-prod","prod-us",True,8)]
E = [f"{a}/{n}" for a,n,_,_ in ENVS]
PROT = {f"{a}/{n}":p for a,n,p,_ in ENVS}
SANDBOX = E[:3]; PROD = E[3:]
HOST = {"alice":"alice-mbp","bob":"bastion-eu-1","carol":"carol-thinkpad","dave":"dave-mbp","erin":"erin-mbp",
        "frank":"bastion-us-2","grace":"grace-desktop","deploy-bot":"ci-runner-07","heidi":"heidi-mbp"}
events = []  # (ago_minutes, seq, dict)
seqc = [0]
def ev(ago_min, by, op, **kw):
    seqc[0]+=1
    d = {"ago": fmt(ago_min), "by": by, "op": op}
    d.update(kw)
    events.append((ago_min, seqc[0], d))
def fmt(m):
    m = int(round(m)); d, r = divmod(m, 1440); h, mi = divmod(r, 60)
    s = ""
    if d: s += f"{d}d"
    if h: s += f"{h}h"
    if mi or not s: s += f"{mi}m"
    return s
D = 1440.0
# state simulation to guarantee every history line is valid
state = {}
def cell(f, e): return state.setdefault((f,e), {"en":False,"k":False,"bp":10000})
def why(e, default):
    return default
def enable(t, by, f, e, reason=""):
    c = cell(f,e); assert not c["en"] and not c["k"], (f,e)
    c["en"] = True; kw = {"flag":f,"env":e}
    if reason or PROT[e]: kw["reason"] = reason or "enable after sign-off"
    ev(t, by, "enable", **kw)
def disable(t, by, f, e, reason=""):
    c = cell(f,e); assert c["en"] and not c["k"], (f,e)
    c["en"] = False; kw = {"flag":f,"env":e}
    if reason or PROT[e]: kw["reason"] = reason or "switch off"
    ev(t, by, "disable", **kw)
def rollout(t, by, f, e, pct, reason=""):
    c = cell(f,e); assert not c["k"] and c["bp"] != pct*100, (f,e,pct)
    c["bp"] = pct*100; kw = {"flag":f,"env":e,"percent":pct}
    if reason or PROT[e]: kw["reason"] = reason or f"rollout step to {pct}%"
    ev(t, by, "rollout", **kw)
def kill(t, by, f, e, reason):
    if e == "*":
        for x in E: cell(f,x)["k"] = True
    else:
        c = cell(f,e); assert not c["k"]; c["k"] = True
    ev(t, by, "kill", flag=f, env=e, reason=reason)
def unkill(t, by, f, e, reason):
    if e == "*":
        for x in E: cell(f,x)["k"] = False
    else:
        c = cell(f,e); assert c["k"]; c["k"] = False
    ev(t, by, "unkill", flag=f, env=e, reason=reason)

FLAGS = []
def flag(key, type, owner, desc, tags, scen, created, expires=None, deps=(), by=None, **extra):
    FLAGS.append(dict(key=key,type=type,owner=owner,description=desc,tags=list(tags),scen=scen,created=created,
                      expires=expires,deps=list(deps),by=by,**extra))

OWNER_OPS = {"search-legacy":["heidi","carol"],"edge-team":["carol","bob"],"payments-core":["alice","bob"],"checkout-web":["alice","dave"],"risk-fraud":["grace","frank"],
  "ledger":["alice","bob"],"platform-infra":["carol","bob"],"sre":["bob","frank"],"search":["heidi","carol"],
  "growth":["dave","heidi"],"mobile":["erin","dave"],"identity":["grace","carol"],"notifications":["erin","carol"],
  "data-platform":["carol","heidi"],"security":["grace","frank"], None:["carol","bob"]}

def full_rollout(f, ops, start, done, envs=E, steps=(5,25,50,100), reason_tpl=None):
    """sandbox on at once, prod envs stepped 5->25->50->100 between start and done."""
    a, b = ops[0], ops[-1]
    t = start
    for e in envs:
        if e in SANDBOX:
            enable(t, a, f, e); t -= 0.02*D
    prods = [e for e in envs if e not in SANDBOX]
    if not prods: return
    span = (start - done) - 0.5*D
    n = len(steps)
    for i, pct in enumerate(steps):
        ts = start - 0.5*D - span * (i / (n-1) if n>1 else 1)
        for j, e in enumerate(prods):
            tt = ts - j*0.03*D
            by = "deploy-bot" if (i in (1,2) and pct < 100) else (a if j % 2 == 0 else b)
            rs = {5:"canary cohort: 5%", 25:"metrics green at 5% for 48h", 50:"error rate flat at 25%", 100:"full rollout after review"}.get(pct, f"step to {pct}%")
            rollout(tt, by, f, e, pct, rs)
            if i == 0: enable(tt - 0.005*D, by, f, e, "start rollout")

def run_scenario(fl):
    f = fl["key"]; ops = OWNER_OPS.get(fl["owner"], ["carol","bob"]); c = fl["created"]*D
    s = fl["scen"]; p = fl.get("p", {})
    ev(c, fl["by"] or ops[0], "create", flag=f, reason=p.get("create_reason", "new flag"))
    c -= 0.05*D
    if s == "retire":      # 100% everywhere since p["done"] days ago
        full_rollout(f, ops, c, p["done"]*D)
    elif s == "rolled":    # reached 100% everywhere recently (< window)
        full_rollout(f, ops, c, p["done"]*D)
    elif s == "stuck":     # sandbox 100, prod envs stuck at p["pct"] since p["since"] days
        full_rollout(f, ops, c, p["since"]*D, steps=[x for x in (5,25,50) if x <= p["pct"]])
    elif s == "rolling":   # rollout in progress; last steps in the last hours
        envs = E
        full_rollout(f, ops, c, p["last"]*D + 2*D, steps=(5,25))
        for j, e in enumerate(p["step"]):
            rollout(p["last"]*D - j*0.01*D, ops[j%2], f, e, 50, "25% clean for a week; next step")
    elif s == "dead_off":  # tried, then switched off everywhere long ago
        for e in SANDBOX: enable(c - 0.1*D, ops[0], f, e)
        enable(c - 2*D, ops[0], f, PROD[1], "dark launch on platform prod"); rollout(c-2.1*D, ops[0], f, PROD[1], 5, "5% trial")
        off = p["off"]*D
        disable(off, ops[1], f, PROD[1], p.get("why", "experiment concluded; not shipping"))
        for j, e in enumerate(SANDBOX): disable(off - (j+1)*0.01*D, ops[1], f, e, p.get("why", "experiment concluded; not shipping"))
    elif s == "dead_never":  # created, never switched on anywhere
        pass
    elif s == "dead_zero":   # enabled but dialled back to 0% everywhere (a revert nobody cleaned up)
        full_rollout(f, ops, c, c - 20*D, steps=(5,25))
        off = p["off"]*D
        for j, e in enumerate(E):
            rollout(off - j*0.01*D, ops[1], f, e, 0, "revert to 0%: " + p.get("why", "double charges seen in reconciliation"))
    elif s == "dead_killed": # killed everywhere months ago, never unkilled
        full_rollout(f, ops, c, c - 15*D, steps=(5,25,50,100))
        kill(p["off"]*D, "frank", f, "*", p.get("why", "data corruption risk; kill until rewrite"))
    elif s == "long_kill":   # on everywhere, killed in one prod env more than 7 days ago
        full_rollout(f, ops, c, c - 25*D)
        kill(p["kill"]*D, "frank", f, p["env"], p["why"])
    elif s == "kill_unkill": # killed during an incident and restored hours later
        full_rollout(f, ops, c, c - 20*D)
        k = p["kill"]*D
        kill(k, "frank", f, p["env"], p["why"])
        unkill(k - p.get("hours", 3)*60, ops[0], f, p["env"], p["fix"])
    elif s == "recent_kill": # killed in the last hours, still killed
        full_rollout(f, ops, c, c - 10*D, steps=(5,25,50))
        kill(p["kill"]*60, "frank", f, p["env"], p["why"])
    elif s == "revert":      # 50% then reverted to 5% after a regression, then finished
        full_rollout(f, ops, c, c - 6*D, steps=(5,25,50))
        r = c - 7*D
        for j, e in enumerate(PROD): rollout(r - j*0.01*D, "bob", f, e, 5, "revert: " + p["why"])
        if p.get("finish") is not None:
            for j, e in enumerate(PROD): rollout(p["finish"]*D - j*0.01*D, ops[0], f, e, 25, "fix deployed; resume at 25%")
            for j, e in enumerate(PROD): rollout(p["finish"]*D - 4*D - j*0.01*D, ops[0], f, e, 100, "stable after fix")
    elif s == "ops_toggle":  # operational: on everywhere, switched off during incidents
        for j, e in enumerate(E): enable(c - j*0.02*D, ops[0], f, e, "enable operational toggle")
        for (t, e, hrs, why) in p.get("toggles", []):
            disable(t*D, "frank", f, e, why)
            enable(t*D - hrs*60, "frank", f, e, "incident resolved; back on")
    elif s == "on":          # on everywhere immediately (kill-switches, permissions)
        for j, e in enumerate(E): enable(c - j*0.02*D, ops[0], f, e, "on from day one")
        for (t, e, hrs, why, fix) in p.get("kills", []):
            kill(t*D, "frank", f, e, why)
            if hrs is not None: unkill(t*D - hrs*60, ops[0], f, e, fix)
    elif s == "experiment":  # sandbox on, prod at 50% (split), sometimes concluded
        for e in SANDBOX: enable(c - 0.1*D, ops[0], f, e)
        for j, e in enumerate(PROD):
            rollout(c - 1*D - j*0.01*D, ops[0], f, e, 10, "ramp: 10% of traffic into the experiment")
            enable(c - 1*D - j*0.01*D - 1, ops[0], f, e, "start experiment")
        for j, e in enumerate(PROD): rollout(c - 3*D - j*0.01*D, "deploy-bot", f, e, 50, "full 50/50 split")
        if p.get("concluded"):
            for j, e in enumerate(E): disable(p["concluded"]*D - j*0.01*D, ops[1], f, e, "experiment concluded: " + p["result"])
    elif s == "fresh":       # created in the last hours; on in dev only
        enable(c - 10, ops[0], f, "sandbox/dev")
        if p.get("qa"): enable(c - 40, ops[0], f, "sandbox/qa")
    else:
        raise SystemExit("unknown scenario " + s)

exec(open(os.path.join(os.path.dirname(__file__), "flags.py")).read())

# history: init + envs
ev(366*D, "alice", "init", reason="flagdeck adopted for payments and platform")
for i, (a,n,p,o) in enumerate(ENVS):
    ev(365*D - i*10, "alice" if a != "platform-prod" else "carol", "env", env=f"{a}/{n}", reason="environment onboarded")
for fl in FLAGS: run_scenario(fl)
for (t, by, op, kw) in EXTRA: ev(t*D, by, op, **kw)
events.sort(key=lambda x: (-x[0], x[1]))
os.makedirs(OUT, exist_ok=True)
with open(os.path.join(OUT, "history.jsonl"), "w") as fh:
    for _, _, d in events:
        fh.write(json.dumps(d, ensure_ascii=False, separators=(", ", ": ")) + "\n")
envs_doc = {"environments": [{"id": f"{a}/{n}", "protected": p, "order": o} for a,n,p,o in ENVS]}
json.dump(envs_doc, open(os.path.join(OUT, "environments.json"), "w"), indent=2); open(os.path.join(OUT, "environments.json"),"a").write("\n")
side = []
for fl in FLAGS:
    d = {"key": fl["key"], "type": fl["type"], "owner": fl["owner"]}
    if fl["key"] not in FC: d["description"] = fl["description"]
    d["tags"] = fl["tags"]
    d["expires"] = fl["expires"]
    d["depends_on"] = fl["deps"]
    if fl.get("variants"): d["variants"] = fl["variants"]
    if fl.get("overrides"): d["overrides"] = fl["overrides"]
    if fl["key"] in FC: d["metadata_from"] = "features_config.json"; del d["owner"]
    side.append(d)
with open(os.path.join(OUT, "flags.json"), "w") as fh:
    fh.write('{\n  "flags": [\n' + ",\n".join("    " + json.dumps(d, ensure_ascii=False, separators=(", ", ": ")) for d in side) + "\n  ]\n}\n")
# features_config.json
fc = {}
for fl in FLAGS:
    if fl["key"] in FC:
        doc = {"active": True}
        doc.update(FC[fl["key"]])
        if fl["deps"]: doc["depends_on"] = fl["deps"]
        doc["metadata"] = {"description": fl["description"], "owner": fl["owner"]}
        fc[fl["key"]] = doc
json.dump(fc, open(os.path.join(OUT, "features_config.json"), "w"), indent=4); open(os.path.join(OUT, "features_config.json"),"a").write("\n")
# Powertools trees
for (a, n, p, o) in ENVS:
    envid = f"{a}/{n}"
    doc = {}
    for fl in FLAGS:
        # What `flagdeck export --format powertools` writes for the final cell: off
        # (disabled or killed) drops the rules; a boolean is default true only at 100%.
        feat = {}
        cfg = fl.get("config")
        if cfg: cfg = cfg(envid) if callable(cfg) else cfg
        c = cell(fl["key"], envid)
        live = c["en"] and not c["k"]
        if fl.get("json_default") is not None:
            feat["default"] = fl["json_default"]; feat["boolean_type"] = False
        else:
            feat["default"] = live and c["bp"] == 10000
        if cfg and live: feat["rules"] = cfg
        doc[fl["key"]] = feat
    os.makedirs(os.path.join(OUT, a, n), exist_ok=True)
    json.dump(doc, open(os.path.join(OUT, a, n, "features.json"), "w"), indent=2, ensure_ascii=False)
    open(os.path.join(OUT, a, n, "features.json"), "a").write("\n")
json.dump(HOST, open(os.path.join(OUT, "operators.json"), "w"), indent=2); open(os.path.join(OUT, "operators.json"),"a").write("\n")
print(len(FLAGS), "flags", len(events), "events")
from collections import Counter
print(Counter(f["type"] for f in FLAGS)); print(Counter(f["scen"] for f in FLAGS))
