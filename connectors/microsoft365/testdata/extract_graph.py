#!/usr/bin/env python3
"""Trim Microsoft Graph's OpenAPI description to the operations a connector uses.

Usage:
  extract_graph.py FULL_OPENAPI_YAML OPERATIONS_FILE > trimmed.yaml

FULL_OPENAPI_YAML is msgraph-metadata's openapi/v1.0/openapi.yaml (about 30 MB), or any
OpenAPI 3 document in its form. OPERATIONS_FILE lists one operation per line,
"METHOD /path" as the description writes the path (e.g. "POST /users/{user-id}/assignLicense");
blank lines and lines starting with # are ignored. The output keeps those operations and every
component they reference, transitively (schemas, responses, parameters, request bodies), plus
info, servers, securitySchemes and security. An operation that is not in the description is an
error (exit 1), so a typo does not silently drop a path.

It needs PyYAML. testdata/operations.txt is the list the Microsoft 365 connector uses.
"""
import sys

import yaml


def refs(node, out):
    """Collect every $ref string under node."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == '$ref' and isinstance(v, str):
                out.add(v)
            else:
                refs(v, out)
    elif isinstance(node, list):
        for v in node:
            refs(v, out)


def resolve(doc, ref):
    if not ref.startswith('#/'):
        raise SystemExit(f'external $ref not supported: {ref}')
    node = doc
    for part in ref[2:].split('/'):
        node = node[part.replace('~1', '/').replace('~0', '~')]
    return node


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    with open(sys.argv[1]) as f:
        doc = yaml.safe_load(f)
    wanted = []
    with open(sys.argv[2]) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith('#'):
                method, path = line.split(None, 1)
                wanted.append((method.lower(), path))
    paths = {}
    missing = []
    for method, path in wanted:
        item = doc.get('paths', {}).get(path)
        if not item or method not in item:
            missing.append(f'{method.upper()} {path}')
            continue
        out = paths.setdefault(path, {k: v for k, v in item.items() if k in ('parameters', 'summary', 'description')})
        out[method] = item[method]
    if missing:
        print('not in the description: ' + ', '.join(missing), file=sys.stderr)
        sys.exit(1)
    # the components the kept operations reach, transitively
    seen, todo = set(), set()
    refs(paths, todo)
    while todo:
        r = todo.pop()
        if r in seen:
            continue
        seen.add(r)
        refs(resolve(doc, r), todo)
    comps = {}
    for r in sorted(seen):
        _, _, kind, name = r.split('/', 3)
        comps.setdefault(kind, {})[name] = resolve(doc, r)
    sec = doc.get('components', {}).get('securitySchemes')
    if sec:
        comps['securitySchemes'] = sec
    out = {'openapi': doc.get('openapi', '3.0.1'), 'info': doc.get('info', {}), 'servers': doc.get('servers', []),
           'paths': paths, 'components': comps}
    if 'security' in doc:
        out['security'] = doc['security']
    yaml.safe_dump(out, sys.stdout, sort_keys=False, allow_unicode=True, width=120)


if __name__ == '__main__':
    main()
