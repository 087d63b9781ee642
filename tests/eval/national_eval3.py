"""Enquiries in the words callers and clerks use, built from the open data itself: a service
type asked by an everyday or plain phrase (お泊まり, 家に来てくれる療育, 重心の入所 …) for a
municipality given as the area chip, in the text, by its reading, or as a 政令市 whose wards
hold the offices. The right answers are the type's offices in that municipality (its wards
included), or, when it has none, the 3 nearest. Scores success@5 through the CLI, as the
public cases are scored.

    python3 tests/eval/national_eval3.py BIN N SEED
"""
import json, math, os, random, subprocess, sys
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# An office the directory shows as its curated record (data/links.json) is that record.
OFFICES_OF = {}
for l in json.load(open(ROOT + '/data/links.json'))['links']:
    OFFICES_OF.setdefault(l['curated'], set()).add(l['office'])
B = sys.argv[1]; N = int(sys.argv[2]); random.seed(int(sys.argv[3]))
g = json.load(open(ROOT + '/data/gazetteer.json'))['areas']
areas = {a['id']: a for a in g}
w = [r for r in json.load(open(ROOT + '/data/wamnet.json'))['resources'] if r.get('status') != 'closed']
PHRASES = {
    24: ['お泊まり', '泊まり', 'ショートステイ', 'ショート', '短期入所', 'レスパイト 泊まり', '医療的ケア児 ショートステイ'],
    65: ['放課後デイ', '放課後等デイ', '放デイ', '放課後 デイサービス', '重症心身障害児 放課後等デイサービス'],
    67: ['保育所等訪問', '保育所等訪問支援', '保育園に来てくれる支援'],
    66: ['居宅訪問型児童発達支援', '居宅訪問型児発', '自宅に来てくれる療育'],
    69: ['医療型障害児入所施設', '医療型入所', '重症心身障害児施設'],
    68: ['福祉型障害児入所施設', '福祉型入所'],
    21: ['療養介護'],
    64: ['医療型児童発達支援', '医療型児発'],
    53: ['地域移行支援'],
    54: ['地域定着支援'],
}
def dist(a, b):
    la1, lo1, la2, lo2 = map(math.radians, (a['lat'], a['lng'], b['lat'], b['lng']))
    h = math.sin((la2-la1)/2)**2 + math.cos(la1)*math.cos(la2)*math.sin((lo2-lo1)/2)**2
    return 12742 * math.asin(math.sqrt(h))
def within(aid, top):
    while aid:
        if aid == top: return True
        aid = areas.get(aid, {}).get('parent')
    return False
def prefecture(a):
    while a and a['level'] != 'prefecture': a = areas.get(a.get('parent'))
    return a['name'] if a else ''
by_type = {t: [r for r in w if any(d.get('code') == t for d in r.get('designations', []))] for t in PHRASES}
munis = [a for a in g if a['level'] == 'municipality' and a.get('location')]
cases = []
while len(cases) < N:
    a = random.choice(munis); t = random.choice(list(PHRASES))
    here = [r['id'] for r in by_type[t] if within(r.get('located_in'), a['id'])]
    if here:
        right = set(here)
    else:
        near = sorted((dist(a['location'], r['location']), r['id']) for r in by_type[t] if r.get('location'))
        right = {i for _, i in near[:3]}
    phrase = random.choice(PHRASES[t])
    form = random.choice(['chip', 'text', 'kana', 'pref'])
    if form == 'chip':
        args = ['--area', prefecture(a) + a['name'], '--', phrase]
    elif form == 'text':
        args = ['--', f"{a['name']} {phrase}"]
    elif form == 'kana':
        args = ['--area', a['kana'], '--', phrase] if a.get('kana') else ['--', f"{a['name']} {phrase}"]
    else:
        args = ['--', f"{prefecture(a)}{a['name']}で{phrase}"]
    cases.append((args, right, bool(here), t))
ok = 0; miss = []
from collections import Counter
by = Counter(); okby = Counter()
for args, right, has, t in cases:
    p = subprocess.run([B, 'search', '--json', '--limit', '5'] + args, capture_output=True, text=True)
    try:
        hits = [h['id'] for h in json.loads(p.stdout)['hits']]
    except Exception:
        hits = ['ERR ' + (p.stdout + p.stderr)[:160]]
    by[t] += 1
    if right & set(hits).union(*(OFFICES_OF.get(h, set()) for h in hits)):
        ok += 1; okby[t] += 1
    else:
        miss.append((args, 'has' if has else 'none', hits, sorted(right)[:3]))
print(f'{ok}/{len(cases)} = {ok/len(cases):.0%} right office in top 5')
print({t: f'{okby[t]}/{by[t]}' for t in by})
for m in miss: print('  MISS', m)
