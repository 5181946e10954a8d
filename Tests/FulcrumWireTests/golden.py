import json, zlib, hmac, hashlib, base64
# Octavia octavia/amphorae/backends/health_daemon/status_message.py, wrap_envelope / get_hmac
def wrap(obj, key, hex=True):
    payload = zlib.compress(json.dumps(obj).encode('utf-8'), 9)
    h = hmac.new(key.encode('utf-8'), payload, hashlib.sha256)
    return payload + (h.hexdigest().encode('utf-8') if hex else h.digest())
key = 'insecure-heartbeat-key'
L1='0b0a1e6c-6a7e-4d39-9f58-3b1a2c1d0e01'; L2='7f4e2d9a-1c3b-4e5f-8a6b-9c0d1e2f3a04'
P1='c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e06'
M1='11111111-2222-4333-8444-555555555501'; M2='11111111-2222-4333-8444-555555555502'; M3='11111111-2222-4333-8444-555555555503'
# built in health_daemon.build_stats_message's insertion order
octavia = {'id': 'a7c1e2f3-0000-4000-8000-000000000001', 'seq': 67, 'listeners': {}, 'pools': {}, 'ver': 3}
octavia['listeners'][L1] = {'status': 'OPEN', 'stats': {'tx': 56000, 'rx': 1200, 'conns': 4, 'totconns': 9, 'ereq': 0}}
octavia['listeners'][L2] = {'status': 'FULL', 'stats': {'tx': 0, 'rx': 0, 'conns': 50000, 'totconns': 123456789012, 'ereq': 7}}
octavia['pools'][P1 + ':' + L1] = {'status': 'UP', 'members': {M1: 'UP', M2: 'DOWN', M3: 'no check'}}
fulcrum = dict(octavia); fulcrum['seq'] = 68; fulcrum['boot_id'] = 'f0e1d2c3-b4a5-4968-8776-655443322110'
for name, obj, hx in [('octaviaHex', octavia, True), ('octaviaLegacyRaw', octavia, False), ('fulcrumHex', fulcrum, True)]:
    print(name, base64.b64encode(wrap(obj, key, hx)).decode())
print('json', json.dumps(fulcrum))
