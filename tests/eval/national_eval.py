"""National cases built from the open data itself (issue 23): for a random municipality and a
bundled service type, the right answers are the offices of that type in the municipality, or,
when it has none, the 3 nearest offices of that type. Forms: `--area X -- TYPE`, `X TYPE` and
`都道府県X の TYPE` in text. Prints success@3 through the CLI."""
import json, math, os, random, subprocess, sys
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# An office the directory shows as its curated record (data/links.json) is that record.
OFFICES_OF = {}
for l in json.load(open(ROOT + '/data/links.json'))['links']:
    OFFICES_OF.setdefault(l['curated'], set()).add(l['office'])
B = sys.argv[1] if len(sys.argv) > 1 else ROOT + '/target/release/ikenavi'
N = int(sys.argv[2]) if len(sys.argv) > 2 else 60
random.seed(int(sys.argv[3]) if len(sys.argv) > 3 else 7)
g = json.load(open(ROOT + '/data/gazetteer.json'))['areas']
areas = {a['id']: a for a in g}
w = json.load(open(ROOT + '/data/wamnet.json'))['resources']
TYPES = {65: ['放課後等デイサービス', '放デイ'], 24: ['短期入所', 'ショートステイ'],
         64: ['医療型児童発達支援'], 66: ['居宅訪問型児童発達支援', '居宅訪問'], 67: ['保育所等訪問支援'],
         69: ['医療型障害児入所施設'], 21: ['療養介護']}
def dist(a, b):
    la1, lo1, la2, lo2 = map(math.radians, (a['lat'], a['lng'], b['lat'], b['lng']))
    h = math.sin((la2-la1)/2)**2 + math.cos(la1)*math.cos(la2)*math.sin((lo2-lo1)/2)**2
    return 12742 * math.asin(math.sqrt(h))
by_type = {t: [r for r in w if any(d.get('code') == t for d in r.get('designations', []))] for t in TYPES}
munis = [a for a in g if a['level'] == 'municipality' and a.get('location')]
cases = []
while len(cases) < N:
    a = random.choice(munis); t = random.choice(list(TYPES))
    here = [r['id'] for r in by_type[t] if r.get('located_in') == a['id']]
    if here:
        right = set(here)
    else:
        near = sorted((dist(a['location'], r['location']), r['id']) for r in by_type[t] if r.get('location'))
        right = {i for _, i in near[:3]}
    p = areas.get(a.get('parent'))
    while p and p['level'] != 'prefecture':
        p = areas.get(p.get('parent'))
    pref = p['name'] if p else ''
    name = random.choice(TYPES[t])
    form = random.choice(['area', 'text', 'pref'])
    cases.append((a['name'], pref, name, form, right, bool(here)))
ok = 0; miss = []
for (muni, pref, name, form, right, has) in cases:
    if form == 'area':
        args = ['--area', f'{pref}{muni}', '--', name]
    elif form == 'text':
        args = ['--', f'{muni} {name}']
    else:
        args = ['--', f'{pref}{muni}の{name}']
    p = subprocess.run([B, 'search', '--json', '--limit', '3'] + args, capture_output=True, text=True)
    try:
        hits = [h['id'] for h in json.loads(p.stdout)['hits']]
    except Exception:
        hits = ['ERR ' + p.stderr[:120]]
    if right & set(hits).union(*(OFFICES_OF.get(h, set()) for h in hits)): ok += 1
    else: miss.append((form, pref + muni, name, 'has' if has else 'none', hits, sorted(right)[:3]))
print(f'{ok}/{len(cases)} = {ok/len(cases):.0%} right office in top 3')
for m in miss: print('  MISS', m)
