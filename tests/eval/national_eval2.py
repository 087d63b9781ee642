"""More forms built from the open data: an office by its name (as written, partial, kana),
by its phone, by its corporation + type, by its street/town part of the address + type,
and by type + 土曜/日曜 in its municipality. success@5 = a hit's id is the office."""
import json, os, random, subprocess, sys, re, unicodedata
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# An office the directory shows as its curated record (data/links.json) is that record.
OFFICES_OF = {}
for l in json.load(open(ROOT + '/data/links.json'))['links']:
    OFFICES_OF.setdefault(l['curated'], set()).add(l['office'])
B = sys.argv[1]; N = int(sys.argv[2]); random.seed(int(sys.argv[3]))
forms = sys.argv[4].split(',') if len(sys.argv) > 4 else ['name','partial','kana','phone','corp','town','sat']
g = {a['id']: a for a in json.load(open(ROOT + '/data/gazetteer.json'))['areas']}
w = [r for r in json.load(open(ROOT + '/data/wamnet.json'))['resources'] if r.get('status') != 'closed']
TYPES = {65: '放デイ', 24: 'ショートステイ', 63: '児童発達支援', 67: '保育所等訪問支援', 21: '療養介護', 64: '医療型児童発達支援', 66: '居宅訪問型児童発達支援', 69: '医療型障害児入所施設'}
def muni(r):
    a = g.get(r.get('located_in')); return a['name'] if a else ''
def pref(r):
    a = g.get(r.get('located_in'))
    while a and a['level'] != 'prefecture': a = g.get(a.get('parent'))
    return a['name'] if a else ''
cases = []
tries = 0
while len(cases) < N and tries < N * 50:
    tries += 1
    r = random.choice(w); f = random.choice(forms)
    codes = [d.get('code') for d in r.get('designations', []) if d.get('code') in TYPES]
    nm = unicodedata.normalize('NFKC', r['name'])
    if f == 'name': q = [r['name']]
    elif f == 'partial':
        words = [x for x in re.split(r'[\s　・]+', nm) if len(x) >= 3 and not any(t in x for t in ['放課後等デイサービス','児童発達支援','短期入所','事業所','センター'])]
        if not words: continue
        q = [muni(r), max(words, key=len)]
    elif f == 'kana':
        if not r.get('kana'): continue
        q = [r['kana']]
    elif f == 'phone':
        p = (r.get('contact') or {}).get('phone')
        if not p: continue
        q = [p]
    elif f == 'corp':
        if not r.get('provider') or not codes: continue
        q = [muni(r), r['provider'], TYPES[random.choice(codes)]]
    elif f == 'town':
        addr = (r.get('contact') or {}).get('address') or ''
        m = re.search(r'(?:市|町|村|区)([^\d０-９\-－ー丁番]{2,6}?)(?:町|[\d０-９一二三四五六七八九十])', addr)
        if not m or not codes: continue
        q = [muni(r) + m.group(1), TYPES[random.choice(codes)]]
    elif f == 'sat':
        h = r.get('hours_by_day') or {}
        if 'saturday' not in h or not codes: continue
        q = [pref(r) + muni(r), TYPES[random.choice(codes)], '土曜']
        # right answers: any office of that type in the municipality open on Saturday
    cases.append((f, q, r))
ok = 0; miss = []
for f, q, r in cases:
    p = subprocess.run([B, 'search', '--json', '--limit', '5', '--', ' '.join(q)], capture_output=True, text=True)
    try: hits = json.loads(p.stdout)['hits']
    except Exception: hits = []
    ids = [h['id'] for h in hits]
    ids += [o for i in list(ids) for o in OFFICES_OF.get(i, ())]
    if f == 'sat':
        right = {x['id'] for x in w if x.get('located_in') == r.get('located_in') and 'saturday' in (x.get('hours_by_day') or {}) and any(d.get('code') in TYPES and TYPES[d['code']] == q[1] for d in x.get('designations', []))}
        good = bool(right & set(ids))
    else:
        good = r['id'] in ids
    if good: ok += 1
    else: miss.append((f, ' '.join(q), r['id'], r['name'], [h['name'] for h in hits][:3]))
print(f'{ok}/{len(cases)} = {ok/max(1,len(cases)):.0%}')
from collections import Counter
print(Counter(m[0] for m in miss), Counter(c[0] for c in cases))
for m in miss: print('  MISS', m)
