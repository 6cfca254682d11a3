import os, subprocess, shutil, textwrap

import sys, tempfile

# gen.py APIM: the binary to run; examples are written to a scratch folder.
APIM = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "apim"
ROOT = tempfile.mkdtemp(prefix="apim-docs-")

SCHEMA = '  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",'
PSCHEMA = '  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",'


def T(resources, params=None, variables=None, outputs=None, top=None, schema=True):
    """A template; every block is given with its final indentation."""
    out = ["{"]
    if schema:
        out.append(SCHEMA)
    out.append('  "contentVersion": "1.0.0.0",')
    if top:
        out.append(top)
    if params is not None:
        out.append('  "parameters": {\n' + params + '\n  },')
    if variables is not None:
        out.append('  "variables": {\n' + variables + '\n  },')
    out.append('  "resources": [\n' + resources + '\n  ]' + (',' if outputs else ''))
    if outputs:
        out.append('  "outputs": {\n' + outputs + '\n  }')
    out.append("}")
    return "\n".join(out) + "\n"


SVC_PARAM = '''    "serviceName": {
      "type": "string",
      "defaultValue": "contoso-apim"
    }'''

SERVICE = '''    {
      "type": "Microsoft.ApiManagement/service",
      "apiVersion": "2024-05-01",
      "name": "contoso-apim",
      "location": "westeurope",
      "sku": { "name": "Developer", "capacity": 1 },
      "properties": { "publisherEmail": "admin@contoso.com", "publisherName": "Contoso" }
    }'''

API = '''    {
      "type": "Microsoft.ApiManagement/service/apis",
      "apiVersion": "2024-05-01",
      "name": "contoso-apim/orders-api",
      "properties": { "displayName": "Orders API", "path": "orders" }
    }'''

OP = '''    {
      "type": "Microsoft.ApiManagement/service/apis/operations",
      "apiVersion": "2024-05-01",
      "name": "contoso-apim/orders-api/list-orders",
      "properties": { "displayName": "List orders", "method": "GET", "urlTemplate": "/orders" }
    }'''



def res(type_, name, props, extra=""):
    """One Microsoft.ApiManagement resource of a template's resources array."""
    return '''    {
      "type": "Microsoft.ApiManagement/%s",
      "apiVersion": "2024-05-01",
      "name": "%s",%s
      "properties": %s
    }''' % (type_, name, extra, props)


def api_policy(xml, name="contoso-apim/orders-api/policy", type_="service/apis/policies"):
    """A rawxml policy resource holding xml."""
    return res(type_, name, '''{
        "format": "rawxml",
        "value": "%s"
      }''' % xml.replace('"', '\\"'))


def doc(inbound, outbound="<base />"):
    """A policy document with inbound and outbound, the other sections <base />."""
    return ("<policies><inbound>%s</inbound><backend><base /></backend><outbound>%s</outbound>"
            "<on-error><base /></on-error></policies>" % (inbound, outbound))


def trim_excerpts(lines):
    """Messages whole; long excerpt lines (the policy text) cut."""
    return [l if len(l) < 110 or not l.lstrip()[:1] in "0123456789|" else l[:100] + " ..."
            for l in lines]


def run(name, files, args=None, cwd_files_only=True, command="validate"):
    d = os.path.join(ROOT, name)
    if os.path.exists(d):
        shutil.rmtree(d)
    os.makedirs(d)
    for fn, content in files.items():
        p = os.path.join(d, fn)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        mode = "wb" if isinstance(content, bytes) else "w"
        with open(p, mode) as f:
            f.write(content)
    if args is None:
        args = [next(iter(files))]
    r = subprocess.run([APIM, command] + args, cwd=d, capture_output=True)
    return r.returncode, r.stderr.decode("utf-8", "replace"), r.stdout.decode("utf-8", "replace")


def lines_between(text, start, end=None, context=0):
    """The lines of text from the first line containing start through the
    first following line containing end (or just that line), dedented."""
    ls = text.split("\n")
    i = next(k for k, l in enumerate(ls) if start in l)
    j = i
    if end is not None:
        j = next(k for k in range(i, len(ls)) if end in ls[k])
    block = "\n".join(ls[i:j + 1])
    return textwrap.dedent(block)
