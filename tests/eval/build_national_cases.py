#!/usr/bin/env python3
"""Builds tests/eval/national_cases.json: enquiries from all over Japan whose right answers come
from the open data itself (issue 23). For a municipality drawn at random and a service type of the
bundled open data, the right offices are those of that type in the municipality, or, when it has
none, the 3 nearest of that type (great-circle distance from the municipality's office). Each case
is asked in one of three forms: `--area 都道府県市町村` with the type, 「市町村 type」 in the text,
and 「都道府県市町村のtype」 in the text. Everything is read from data/gazetteer.json and
data/wamnet.json; the same seed gives the same cases.

    python3 tests/eval/build_national_cases.py [N] [SEED] > tests/eval/national_cases.json
"""
import json, math, pathlib, random, sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
N = int(sys.argv[1]) if len(sys.argv) > 1 else 80
SEED = int(sys.argv[2]) if len(sys.argv) > 2 else 7
random.seed(SEED)
g = json.loads((ROOT / 'data/gazetteer.json').read_text())['areas']
areas = {a['id']: a for a in g}
w = json.loads((ROOT / 'data/wamnet.json').read_text())['resources']
# サービス種別 codes bundled for the whole country, by their official and everyday names.
TYPES = {65: ['放課後等デイサービス', '放デイ'], 24: ['短期入所', 'ショートステイ'],
         64: ['医療型児童発達支援'], 66: ['居宅訪問型児童発達支援', '居宅訪問'],
         67: ['保育所等訪問支援'], 69: ['医療型障害児入所施設'], 21: ['療養介護']}


def km(a, b):
    la1, lo1, la2, lo2 = map(math.radians, (a['lat'], a['lng'], b['lat'], b['lng']))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 12742 * math.asin(math.sqrt(h))


def prefecture(a):
    p = areas.get(a.get('parent'))
    while p and p['level'] != 'prefecture':
        p = areas.get(p.get('parent'))
    return p['name'] if p else ''


by_type = {t: [r for r in w if any(d.get('code') == t for d in r.get('designations', []))] for t in TYPES}
munis = [a for a in g if a['level'] == 'municipality' and a.get('location')]
cases = []
while len(cases) < N:
    a = random.choice(munis)
    t = random.choice(list(TYPES))
    here = sorted(r['id'] for r in by_type[t] if r.get('located_in') == a['id'])
    if here:
        right, why = here, f'the {t} offices in the municipality'
    else:
        near = sorted((km(a['location'], r['location']), r['id']) for r in by_type[t] if r.get('location'))
        right, why = [i for _, i in near[:3]], f'none of type {t} there: the 3 nearest'
    pref, name = prefecture(a), random.choice(TYPES[t])
    form = random.choice(['area', 'text', 'pref'])
    case = {'k': 3, 'expect_ids': right, 'why': f'{form}: {why}'}
    if form == 'area':
        case.update(query=name, area=f'{pref}{a["name"]}')
    elif form == 'text':
        case.update(query=f'{a["name"]} {name}')
    else:
        case.update(query=f'{pref}{a["name"]}の{name}')
    cases.append(case)
json.dump({'seed': SEED, 'cases': cases}, sys.stdout, ensure_ascii=False, indent=1)
print()
