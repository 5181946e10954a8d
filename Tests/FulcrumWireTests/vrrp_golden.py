# Golden VRRP advert for VRRPAdvertCodecTests, computed independently of the Swift codec (see its layout).
import hmac, hashlib, struct, ipaddress
def addr(text):
    return ipaddress.IPv6Address('::ffff:' + text).packed if '.' in text else ipaddress.IPv6Address(text).packed
body = b'FVRP' + struct.pack('>BBBBH', 1, 2, 100, 0, 1000) + addr('203.0.113.10') + addr('10.0.0.11') \
    + struct.pack('>QQ', 0x0123456789ABCDEF, 42)
print((body + hmac.new(b'pair-secret', body, hashlib.sha256).digest()).hex())
