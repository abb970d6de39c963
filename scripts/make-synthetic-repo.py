#!/usr/bin/env python3
"""Builds a synthetic monorepo for the benchmark: a realistic mix of sources, manifests,
workflows, Dockerfiles, docs and a few large files. Deterministic (fixed seed)."""
import os
import random
import sys

root = sys.argv[1]
total = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
rng = random.Random(42)

TS = "import {{ logger }} from '../lib/log';\n\nexport function handler{n}(req: Request) {{\n  console.log('handling', req.url);\n  const value = compute{n}(req);\n  logger.info({{ value }}, 'done');\n  return value;\n}}\n\nfunction compute{n}(req: Request): number {{\n  return req.url.length * {n};\n}}\n"
PY = "import logging\nimport os\n\nlog = logging.getLogger(__name__)\n\n\ndef handler_{n}(event):\n    print('event', event)\n    value = len(str(event)) * {n}\n    log.info('value=%s', value)\n    return value\n"
GO = "package svc{m}\n\nimport (\n\t\"fmt\"\n\t\"net/http\"\n)\n\nfunc Handler{n}(w http.ResponseWriter, r *http.Request) {{\n\tfmt.Println(\"request\", r.URL)\n\tw.WriteHeader({n} % 500 + 100)\n}}\n"
TEST = "import {{ handler{n} }} from '../src/h{n}';\n\ntest('handler {n}', () => {{\n  expect(handler{n}({{ url: 'x' }} as any)).toBe({n});\n}});\n"
MD = "# Service {m}\n\n## Install\n\n`npm ci`\n\n## Usage\n\nRun `npm start`.\n\n## Tests\n\n`npm test`\n" + ("Lorem ipsum dolor sit amet. " * 40) + "\n"
WORKFLOW = "name: ci-{m}\non:\n  pull_request:\n  push:\n    branches: [main]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    timeout-minutes: 15\n    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/setup-node@v4\n        with:\n          cache: npm\n      - run: npm ci\n      - run: npm test -- --coverage\n      - run: npm run lint\n"
DOCKER = "FROM node:20-slim AS build\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n\nFROM node:20-slim\nUSER node\nCOPY --from=build /app/dist /app\nHEALTHCHECK CMD curl -f http://localhost:3000/health || exit 1\nCMD [\"node\", \"/app/index.js\"]\n"
PKG = '{{\n  "name": "svc-{m}",\n  "version": "1.{m}.0",\n  "scripts": {{"test": "jest", "build": "tsc", "lint": "eslint ."}},\n  "dependencies": {{"pino": "^9.0.0", "express": "^4.19.0"}}\n}}\n'

def write(path, text):
    full = os.path.join(root, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w") as f:
        f.write(text)

n = 0
services = max(1, total // 500)
os.makedirs(root, exist_ok=True)
write(".github/workflows/ci.yml", WORKFLOW.format(m=0))
write("README.md", MD.format(m=0))
while n < total:
    m = n // 500
    base = f"services/svc{m}"
    kind = rng.random()
    if n % 500 == 0:
        write(f"{base}/package.json", PKG.format(m=m))
        write(f"{base}/Dockerfile", DOCKER)
        write(f"{base}/README.md", MD.format(m=m))
        write(f".github/workflows/svc{m}.yml", WORKFLOW.format(m=m))
        n += 4
        continue
    if kind < 0.45:
        write(f"{base}/src/h{n}.ts", TS.format(n=n))
    elif kind < 0.65:
        write(f"{base}/py/mod_{n}.py", PY.format(n=n))
    elif kind < 0.75:
        write(f"{base}/go/h{n}.go", GO.format(n=n, m=m))
    elif kind < 0.92:
        write(f"{base}/test/h{n}.test.ts", TEST.format(n=n))
    elif kind < 0.9995:
        write(f"{base}/docs/page{n}.md", MD.format(m=m))
    else:
        # A few large files (0.5-3 MiB): generated data, some above the 1 MiB read cap.
        write(f"{base}/data/blob{n}.json", '{"k": "' + "x" * rng.randint(500_000, 3_000_000) + '"}\n')
    n += 1
print(f"{n} files in {root}")
